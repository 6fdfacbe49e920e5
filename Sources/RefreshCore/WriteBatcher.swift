import Renewal

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// When fetched results, removals and pruning are written: one kubeconfig update at a time,
/// carrying everything that waits. Part of ``RefreshMachine``, which knows the results; this
/// knows the timing.
///
/// Coalescing (the service): the first result arms a write half a second later, so results that
/// finish together go in one update; while a burst of fetches goes on the write waits for its
/// end, but no longer than ten seconds after the first result; a failed write is retried after
/// five seconds, carrying its removals again. Once (a pass): one write when every fetch has
/// ended, even with nothing fetched (it prunes), never retried.
package struct WriteBatcher: Sendable {
    /// When writes happen.
    package enum Policy: Sendable, Hashable {
        /// Writes half a second (`delay`) after the first result, waits for a burst's end at most
        /// `burstLimit` after it, and retries a failed write after `retryDelay`.
        case coalescing(delay: Duration, burstLimit: Duration, retryDelay: Duration)
        /// Writes once, when every fetch has ended; never retries.
        case once
    }

    private enum State: Sendable, Hashable {
        case idle
        /// Results wait; the first arrived at `firstResultAt`.
        case pending(firstResultAt: Date)
        /// A write runs, carrying `removals`; they are asked for again if it fails.
        case running(removals: Set<String>)
    }

    /// What to do when the write timer fires.
    package enum TimerDecision: Sendable, Hashable {
        /// Nothing: a write runs, or the batcher stopped.
        case none
        /// A burst goes on: look again at `at`.
        case rearm(at: Date)
        /// Write what waits now.
        case write
    }

    package let policy: Policy
    private var state = State.idle
    private var pendingRemovals: Set<String> = []
    /// Clusters left the watch list or the fleet: the next write prunes, even with nothing fetched.
    private var pruneDue = false
    private var stopped = false

    package init(policy: Policy) {
        self.policy = policy
    }

    /// Whether no write waits or runs.
    package var isIdle: Bool { state == .idle }

    /// Whether a write runs.
    package var isWriting: Bool {
        if case .running = state { true } else { false }
    }

    /// Whether a write that failed hands its results back for the next one.
    package var retriesFailedWrites: Bool {
        if case .coalescing = policy { true } else { false }
    }

    /// A fetched result waits: when to arm the write timer, if now.
    package mutating func resultArrived(at now: Date) -> Date? {
        guard case .coalescing(let delay, _, _) = policy, state == .idle else { return nil }
        state = .pending(firstResultAt: now)
        return now.advanced(by: delay)
    }

    /// Names whose managed entries the next write removes.
    package mutating func remove(_ watchNames: Set<String>) {
        pendingRemovals.formUnion(watchNames)
    }

    /// The fleet lets go of more: the next write prunes. When to arm the write timer, if now.
    package mutating func mustPrune(at now: Date) -> Date? {
        pruneDue = true
        guard case .coalescing(let delay, _, _) = policy, state == .idle else { return nil }
        state = .pending(firstResultAt: now)
        return now.advanced(by: delay)
    }

    /// Whether a write is to start now that fetches may all have ended: only when writing once,
    /// and only when none goes on.
    package func fetchesEnded(burstGoesOn: Bool) -> Bool {
        policy == .once && state == .idle && !burstGoesOn
    }

    /// The write timer fired at `now`.
    package func timerFired(at now: Date, burstGoesOn: Bool) -> TimerDecision {
        if case .coalescing(let delay, let burstLimit, _) = policy, case .pending(let first) = state, burstGoesOn,
            now < first.advanced(by: burstLimit)
        {
            return .rearm(at: now.advanced(by: delay))
        }
        return isWriting ? .none : .write
    }

    /// Starts a write: the removals it carries, or `nil` when there is nothing to write (or the
    /// batcher stopped and this is not the `final` write). Writing once always writes.
    package mutating func begin(hasResults: Bool, final: Bool = false) -> Set<String>? {
        guard !stopped || final, !isWriting else { return nil }
        guard hasResults || !pendingRemovals.isEmpty || pruneDue || policy == .once else {
            state = .idle
            return nil
        }
        let removals = pendingRemovals
        pendingRemovals = []
        pruneDue = false
        state = .running(removals: removals)
        return removals
    }

    /// The running write ended at `now`; `resultsWait` when fetched results wait for a write
    /// (those of a failed write, handed back, included). When to arm the write timer, if now.
    package mutating func finished(succeeded: Bool, at now: Date, resultsWait: Bool) -> Date? {
        guard case .running(let removals) = state else { return nil }
        state = .idle
        guard case .coalescing(let delay, _, let retryDelay) = policy, !stopped else { return nil }
        if !succeeded {
            pendingRemovals.formUnion(removals)
            pruneDue = true
            state = .pending(firstResultAt: now)
            return now.advanced(by: retryDelay)
        }
        guard resultsWait || pruneDue || !pendingRemovals.isEmpty else { return nil }
        state = .pending(firstResultAt: now)
        return now.advanced(by: delay)
    }

    /// Only the final write may start from now on.
    package mutating func stop() {
        stopped = true
    }
}
