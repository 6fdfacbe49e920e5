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
/// calls). Requests go out one ``interval`` apart, starting at the configured rate, or, for a
/// pacer made ``unpaced(maximumPerMinute:)``, as fast as they come until the first 429 (most
/// users are never throttled, and a fleet's first pass should not wait for a limit it may not
/// have). A 429 says the window is full: the successes counted in the last window are then the
/// limit, so the interval becomes the window shared among them, and nothing is sent until
/// `Retry-After` has passed, or without one until the oldest success of the window leaves it.
/// After a run of successes the interval shrinks a little, so a limit that was raised is found
/// again.
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
    /// The current spacing between two requests; `nil` while no 429 has been seen by a pacer
    /// made ``unpaced(maximumPerMinute:)``.
    public private(set) var interval: Duration?
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

    /// A pacer that spaces nothing until the gateway first answers 429, and then learns its limit.
    public static func unpaced(maximumPerMinute: Double = 6000) -> RequestPacer {
        var pacer = RequestPacer(requestsPerMinute: maximumPerMinute, maximumPerMinute: maximumPerMinute)
        pacer.interval = nil
        return pacer
    }

    /// The current rate, in requests per minute; `nil` while unpaced.
    public var requestsPerMinute: Double? {
        interval.map { 60 / $0.timeInterval }
    }

    /// When the next request may go, if not now: what ``permission(at:)`` would answer, without
    /// booking anything.
    public func earliestSend(after now: Date) -> Date? {
        guard let earliest = [nextSend, pausedUntil].compactMap({ $0 }).max(), now < earliest else { return nil }
        return earliest
    }

    /// Asks to send a request at `now`; a ``Permission/proceed`` books the slot, so the next
    /// caller waits one interval.
    public mutating func permission(at now: Date) -> Permission {
        if let earliest = earliestSend(after: now) { return .wait(until: earliest) }
        nextSend = interval.map { now.advanced(by: $0) }
        return .proceed
    }

    /// Records a 429 seen at `now`, with the answer's `Retry-After` when it had one.
    public mutating func recordThrottled(retryAfter: Duration?, at now: Date) {
        forgetSuccesses(before: now)
        successesInARow = 0
        let learned: Duration
        if recentSuccesses.isEmpty {
            // Nothing passed lately, so nothing tells the limit: halve the rate, from one a
            // second when there was none.
            learned = min(interval.map { $0 * 2 } ?? window / 60, window)
        } else {
            // The window held this many when it filled: share it among them, with 1 % to spare
            // for the clocks of the two sides.
            learned = min(max(window / recentSuccesses.count * 1.01, minimumInterval), window)
        }
        interval = learned
        let slotFrees = recentSuccesses.first.map { $0.advanced(by: window) } ?? now.advanced(by: learned)
        let resume = retryAfter.map { now.advanced(by: $0) } ?? slotFrees
        pausedUntil = max(resume, pausedUntil ?? resume)
        // The gateway's word replaces the slot booked at the learned rate: a short Retry-After
        // is not stretched to a long interval.
        nextSend = pausedUntil
    }

    /// Records a request that the gateway let through at `now`, whatever CCE answered to it.
    public mutating func recordSuccess(at now: Date) {
        forgetSuccesses(before: now)
        recentSuccesses.append(now)
        successesInARow += 1
        if successesInARow >= successesPerStep {
            successesInARow = 0
            interval = interval.map { max($0 * stepFactor, minimumInterval) }
        }
    }

    private mutating func forgetSuccesses(before now: Date) {
        let start = now.advanced(by: .zero - window)
        recentSuccesses.removeAll { $0 <= start }
    }
}
