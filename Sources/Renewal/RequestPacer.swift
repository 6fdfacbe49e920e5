#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Keeps the requests of one credential set within the limit of Huawei Cloud's API gateway,
/// learning the limit from the 429s it answers.
///
/// The gateway admits at most a number of calls of one user in any window of a minute (429
/// `APIGW.0308` "policy user over ratelimit, limit:10, time:1 minute" is what users report for
/// certificate calls); a refused call does not count. The pacer keeps the same books: when each
/// admitted request was sent. Until the first 429 it lets every request go (most users are never
/// throttled, and a fleet's first pass should not wait for a limit it may not have). A 429 tells
/// the limit: the one its body states, else the requests admitted in the window before the
/// refused one. From then on a request
/// goes when fewer than that many were sent in the last window, so a fleet's pass goes out a
/// window's worth at a time, as fast as the gateway allows; nothing goes before `Retry-After`.
/// After a run of successes a limit that was only inferred is raised by one, so a limit that was
/// raised is found again.
///
/// A pure state machine like ``CredentialCircuitBreaker``: the time goes in, permissions come
/// out, the caller sends.
package struct RequestPacer: Sendable, Hashable {
    /// Whether a request may be sent now.
    package enum Permission: Sendable, Hashable {
        case proceed
        /// Ask again at `until`.
        case wait(until: Date)
    }

    /// The limit a 429's body states, such as APIGW.0308's "limit:10,time:1 minute".
    package struct StatedLimit: Sendable, Hashable {
        package var calls: Int
        package var window: Duration

        package init(calls: Int, window: Duration) {
            self.calls = calls
            self.window = window
        }
    }

    /// The gateway's counting window: one minute, unless a 429 stated another.
    package private(set) var window: Duration
    /// Added to the window before a slot is taken as free again: the gateway counts a call when
    /// it arrives, a little after it was sent here.
    package let margin: Duration
    /// How many successes in a row raise the learned limit by one.
    package let successesPerStep: Int
    /// The calls admitted per window, as learned from the last 429; `nil` until there was one.
    package private(set) var limit: Int?
    /// Whether ``limit`` is what the gateway stated, which needs no probing upwards.
    package private(set) var limitIsStated = false
    /// Nothing goes out before this: set by a 429.
    package private(set) var pausedUntil: Date?
    /// When each request not refused was sent, oldest first, over the last two windows. One
    /// that got no answer keeps its slot: the gateway may have counted it.
    private var sent: [Date] = []
    /// The pause after a 429 that no admitted request explains; doubles up to the window.
    private var blindPause: Duration?
    private var successesInARow = 0

    package init(window: Duration = .seconds(60), margin: Duration = .seconds(1), successesPerStep: Int = 100) {
        precondition(window > .zero && margin >= .zero && successesPerStep > 0, "a pacer needs a window and a step")
        self.window = window
        self.margin = margin
        self.successesPerStep = successesPerStep
    }

    /// When the next request may go, if not now: what ``permission(at:)`` would answer, without
    /// booking anything.
    package func earliestSend(after now: Date) -> Date? {
        var earliest = pausedUntil.flatMap { $0 > now ? $0 : nil }
        if let limit {
            let counted = sent.filter { $0 > now.advanced(by: .zero - window - margin) }
            if counted.count >= limit {
                // The slot that frees first once the window has moved on.
                let frees = counted[counted.count - limit].advanced(by: window + margin)
                earliest = max(earliest ?? frees, frees)
            }
        }
        return earliest
    }

    /// Asks to send a request at `now`; a ``Permission/proceed`` counts it as sent.
    package mutating func permission(at now: Date) -> Permission {
        if let earliest = earliestSend(after: now) { return .wait(until: earliest) }
        sent.removeAll { $0 <= now.advanced(by: .zero - window * 2) }
        sent.append(now)
        return .proceed
    }

    /// Records that the request sent at `sentAt` was answered 429 at `now`, with the answer's
    /// `Retry-After` and the limit its body stated, when it had them.
    package mutating func recordThrottled(sentAt: Date, retryAfter: Duration?, stated: StatedLimit? = nil, at now: Date) {
        if let index = sent.lastIndex(of: sentAt) { sent.remove(at: index) }
        successesInARow = 0
        if let stated {
            window = stated.window
            limit = stated.calls
            limitIsStated = true
        }
        let admittedBefore = sent.filter { $0 <= sentAt && $0 > sentAt.advanced(by: .zero - window) }
        let resume: Date
        if admittedBefore.isEmpty {
            // Nothing admitted tells when a slot frees: wait, longer each time.
            let pause = min(blindPause.map { $0 * 2 } ?? .seconds(1), window)
            blindPause = pause
            resume = retryAfter.map { now.advanced(by: $0) } ?? now.advanced(by: pause)
        } else {
            blindPause = nil
            if stated == nil {
                limit = admittedBefore.count
                limitIsStated = false
            }
            resume = retryAfter.map { now.advanced(by: $0) } ?? admittedBefore[0].advanced(by: window + margin)
        }
        pausedUntil = max(resume, pausedUntil ?? resume)
    }

    /// Gives back the slot booked for a request at `sentAt` that was never sent (its credential
    /// could not be resolved here): the gateway never counted it.
    package mutating func recordNotSent(sentAt: Date) {
        if let index = sent.lastIndex(of: sentAt) { sent.remove(at: index) }
    }

    /// Records a request that the gateway let through, whatever CCE answered to it.
    package mutating func recordSuccess() {
        blindPause = nil
        guard let limit, !limitIsStated else { return }
        successesInARow += 1
        if successesInARow >= successesPerStep {
            successesInARow = 0
            self.limit = limit + 1
        }
    }
}
