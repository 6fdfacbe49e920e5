import Renewal

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What the service watches between renewals: an outside change of the kubeconfig is checked
/// once kubectl has had time to finish its rewrite (one check armed at a time), the fleet is
/// listed again as the `discover:` rules ask, and the safety tick's clocks tell a suspend (the
/// network then gets time to come back) or a step of the wall clock. Part of
/// ``RefreshMachine``; a pass watches nothing.
package struct Upkeep: Sendable {
    /// What a tick calls for.
    package enum Tick: Sendable, Hashable {
        /// Evaluate every cluster now, after logging `log` when there is one.
        case evaluate(log: LogRecord?)
        /// Log `log`, and evaluate every cluster once the network has settled, at `at`.
        case evaluateAfterResume(at: Date, log: LogRecord)
    }

    /// Whether anything is watched: the service, not a pass.
    package let watches: Bool
    package let healDelay: Duration
    package let networkSettleDelay: Duration
    private var healArmed = false
    private var sleepDetector = SleepDetector()

    package init(watches: Bool, healDelay: Duration, networkSettleDelay: Duration) {
        self.watches = watches
        self.healDelay = healDelay
        self.networkSettleDelay = networkSettleDelay
    }

    /// The clocks read at the start: the first tick is compared with them.
    package mutating func started(clocks: ClockSample) {
        _ = sleepDetector.observe(clocks)
    }

    /// The kubeconfig changed, or may have: when to check it, unless a check is armed already.
    package mutating func checkWanted(at now: Date) -> Date? {
        guard watches, !healArmed else { return nil }
        healArmed = true
        return now.advanced(by: healDelay)
    }

    /// The check's timer fired.
    package mutating func checkTimerFired() {
        healArmed = false
    }

    /// When to list the fleet again, `interval` (the shortest of the `discover:` rules) from now;
    /// `nil` without rules to follow.
    package func nextListing(every interval: Duration?, at now: Date) -> Date? {
        guard watches, let interval else { return nil }
        return now.advanced(by: interval)
    }

    /// The safety tick with the clocks read at it; `nil` when nothing is watched.
    package mutating func tick(_ sample: ClockSample, at now: Date) -> Tick? {
        guard watches else { return nil }
        switch sleepDetector.observe(sample) {
        case .resumedFromSuspend(let slept):
            return .evaluateAfterResume(at: now.advanced(by: networkSettleDelay), log: .resumedFromSuspend(slept: slept))
        case .wallClockJumped(let jump):
            return .evaluate(log: .wallClockJumped(by: jump))
        case .steady:
            return .evaluate(log: nil)
        }
    }
}
