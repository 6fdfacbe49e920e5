/// The API gateway's per-user rate limit on cluster-certificate calls: at most ``limit`` calls
/// per ``window`` and user, refused beyond it with 429 `APIGW.0308` and `Retry-After`.
///
/// Users report about 10 write calls a minute at Huawei's gateway; `CallThrottle(limit: 10,
/// window: .seconds(60))` is that limit.
package struct CallThrottle: Sendable, Hashable {
    /// How many calls a user may make within any ``window``.
    package var limit: Int
    /// The span the limit counts over, a sliding window.
    package var window: Duration

    package init(limit: Int, window: Duration) {
        self.limit = limit
        self.window = window
    }
}

/// Which calls each user made recently, and whether the next one may pass: a sliding window
/// log. Pure: the caller passes the time.
///
/// A refused call is not recorded, so a client that retries early only waits longer; the
/// `Retry-After` of a refusal is when the oldest call of the full window leaves it.
struct ThrottleLedger: Sendable {
    /// Whether a call may pass now.
    enum Decision: Sendable, Hashable {
        case admitted
        /// Refused; a call made `retryAfter` from now will be admitted (unless others come first).
        case refused(retryAfter: Duration)
    }

    let throttle: CallThrottle
    /// The times of each user's admitted calls still inside the window, oldest first.
    private var admitted: [String: [ContinuousClock.Instant]] = [:]

    init(throttle: CallThrottle) {
        self.throttle = throttle
    }

    /// Decides a call of `user` at `now`, recording it when admitted. `now` must not go back.
    mutating func decide(user: String, at now: ContinuousClock.Instant) -> Decision {
        var calls = admitted[user, default: []]
        calls.removeAll { now - $0 >= throttle.window }
        defer { admitted[user] = calls.isEmpty ? nil : calls }
        guard calls.count >= throttle.limit else {
            calls.append(now)
            return .admitted
        }
        return .refused(retryAfter: calls[calls.count - throttle.limit] + throttle.window - now)
    }

    /// A `Retry-After` value in whole seconds, rounded up, at least 1.
    static func retryAfterSeconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return max(1, Int(seconds) + (attoseconds > 0 ? 1 : 0))
    }
}
