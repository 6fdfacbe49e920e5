#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Spaces the requests of one credential set so that Huawei Cloud's API gateway does not
/// throttle them, learning its limit from the 429s it answers.
///
/// The gateway limits each user to a number of calls per time window (429 `APIGW.0308`
/// "policy user over ratelimit, limit:10, time:1 minute" is what users report for certificate
/// calls). Requests go out one ``interval`` apart, starting at the configured rate. A 429 says
/// the window is full: the successes counted in the last window are then the limit, so the
/// interval becomes the window shared among them, and nothing is sent until `Retry-After`
/// has passed, or without one until the oldest success of the window leaves it. After a run
/// of successes the interval shrinks a little, so a limit that was raised is found again.
///
/// A pure state machine like ``CredentialCircuitBreaker``: the time goes in, permissions come
/// out, the caller sends.
public struct RequestPacer: Sendable, Hashable {
    /// Whether a request may be sent now.
    public enum Permission: Sendable, Hashable {
        case proceed
        /// Ask again at `until`.
        case wait(until: Date)
    }

    /// The gateway's counting window: one minute.
    public let window: Duration
    /// The shortest interval the pacer ever creeps down to (the fastest rate it tries).
    public let minimumInterval: Duration
    /// How many successes in a row shrink the interval once.
    public let successesPerStep: Int
    /// The factor one step shrinks the interval by.
    public let stepFactor: Double
    /// The current spacing between two requests.
    public private(set) var interval: Duration
    /// When the next request may go, after the one before it.
    public private(set) var nextSend: Date?
    /// Nothing goes out before this: set by a 429.
    public private(set) var pausedUntil: Date?
    /// The successes of the last ``window``, oldest first.
    private var recentSuccesses: [Date] = []
    private var successesInARow = 0

    /// - Parameters:
    ///   - requestsPerMinute: the rate to start at.
    ///   - maximumPerMinute: the rate never exceeded, however long no 429 comes.
    public init(
        requestsPerMinute: Double,
        maximumPerMinute: Double = 600,
        window: Duration = .seconds(60),
        successesPerStep: Int = 50,
        stepFactor: Double = 0.97
    ) {
        precondition(requestsPerMinute > 0 && maximumPerMinute >= requestsPerMinute, "rates must be positive, the maximum at least the start")
        precondition(successesPerStep > 0 && (0..<1).contains(stepFactor) && stepFactor > 0, "a step must shrink the interval")
        self.window = window
        self.interval = .seconds(60 / requestsPerMinute)
        self.minimumInterval = .seconds(60 / maximumPerMinute)
        self.successesPerStep = successesPerStep
        self.stepFactor = stepFactor
    }

    /// The current rate, in requests per minute.
    public var requestsPerMinute: Double {
        60 / interval.timeInterval
    }

    /// Asks to send a request at `now`; a ``Permission/proceed`` books the slot, so the next
    /// caller waits one interval.
    public mutating func permission(at now: Date) -> Permission {
        let earliest = [nextSend, pausedUntil].compactMap { $0 }.max()
        if let earliest, now < earliest { return .wait(until: earliest) }
        nextSend = now.advanced(by: interval)
        return .proceed
    }

    /// Records a 429 seen at `now`, with the answer's `Retry-After` when it had one.
    public mutating func recordThrottled(retryAfter: Duration?, at now: Date) {
        forgetSuccesses(before: now)
        successesInARow = 0
        if recentSuccesses.isEmpty {
            interval = min(interval * 2, window)
        } else {
            // The window held this many when it filled: share it among them, with 1 % to spare
            // for the clocks of the two sides.
            interval = min(max(window / recentSuccesses.count * 1.01, minimumInterval), window)
        }
        let slotFrees = recentSuccesses.first.map { $0.advanced(by: window) } ?? now.advanced(by: interval)
        let resume = retryAfter.map { now.advanced(by: $0) } ?? slotFrees
        pausedUntil = max(resume, pausedUntil ?? resume)
        nextSend = max(nextSend ?? resume, resume)
    }

    /// Records a request that the gateway let through at `now`, whatever CCE answered to it.
    public mutating func recordSuccess(at now: Date) {
        forgetSuccesses(before: now)
        recentSuccesses.append(now)
        successesInARow += 1
        if successesInARow >= successesPerStep {
            successesInARow = 0
            interval = max(interval * stepFactor, minimumInterval)
        }
    }

    private mutating func forgetSuccesses(before now: Date) {
        let start = now.advanced(by: .zero - window)
        recentSuccesses.removeAll { $0 <= start }
    }
}
