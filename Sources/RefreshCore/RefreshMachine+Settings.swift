import Renewal

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension RefreshMachine {
    /// How the machine runs.
    package enum Mode: Sendable, Hashable {
        /// The service: timers, retries, healing, for as long as it runs.
        case service
        /// One pass: `force` fetches every selected cluster, due or not; `only` selects watch
        /// names (and then nothing is pruned), `nil` selects all.
        case pass(force: Bool, only: Set<String>?)
    }

    /// The numbers behind the rules.
    package struct Options: Sendable, Hashable {
        package var maximumInFlight = 4
        /// How long after the first result the write waits for others.
        package var coalescingDelay: Duration = .milliseconds(500)
        /// While a burst goes on, the longest the first result waits to be written, so that a
        /// long pass still shows progress.
        package var burstWriteDelay: Duration = .seconds(10)
        package var failedWriteRetryDelay: Duration = .seconds(5)
        /// How long after an outside change the entries are checked: kubectl's rewrite has
        /// usually finished by then.
        package var healDelay: Duration = .milliseconds(300)
        /// How long after a resume the clusters are evaluated: the network needs a moment.
        package var networkSettleDelay: Duration = .seconds(5)
        /// How often the service sends ``RefreshEvent/tick(_:)``: the clocks are compared (a
        /// suspend or a step of the wall clock), the kubeconfig checked and the credential
        /// sources looked at, whatever the watches missed.
        package var safetyTickInterval: Duration = .seconds(60)
        /// What every credential set's pacer starts as.
        package var pacer = RequestPacer()
        /// How many 429s one cluster may get in a pass before the pass reports it failed: a
        /// pass waits for the pacer, but not forever for a cluster the gateway keeps refusing.
        package var throttledAttemptsPerPass = 3

        package init() {}
    }

    /// What the machine does besides fetching what is due and writing it: the service goes on
    /// after every outcome, a pass reports it.
    struct Rounds: Sendable, Hashable {
        /// After an outcome, the cluster's next renewal or retry is planned; outside changes are
        /// healed, the clock watched and the fleet listed again. Otherwise the outcome is
        /// reported in ``RefreshMachine/passOutcomes`` and nothing more happens to the cluster.
        var continuous: Bool
        /// Every selected cluster is fetched at the start, due or not.
        var forced: Bool
        /// The watch names run on; `nil`: all.
        var selection: Set<String>?
    }
}

extension RefreshMachine.Mode {
    var rounds: RefreshMachine.Rounds {
        switch self {
        case .service: RefreshMachine.Rounds(continuous: true, forced: false, selection: nil)
        case .pass(let force, let only): RefreshMachine.Rounds(continuous: false, forced: force, selection: only)
        }
    }

    /// The service waits for a refused credential set and for the pacer; a pass gives up on the
    /// first and waits for the second a few times.
    func admissionPolicy(_ options: RefreshMachine.Options) -> FetchAdmission.Policy {
        let service = self == .service
        return FetchAdmission.Policy(
            maximumInFlight: options.maximumInFlight,
            pacer: options.pacer,
            waitsForRefusedCredentials: service,
            throttledAttempts: service ? nil : options.throttledAttemptsPerPass
        )
    }

    /// The service coalesces and retries its writes; a pass writes once.
    func writePolicy(_ options: RefreshMachine.Options) -> WriteBatcher.Policy {
        switch self {
        case .service:
            .coalescing(delay: options.coalescingDelay, burstLimit: options.burstWriteDelay, retryDelay: options.failedWriteRetryDelay)
        case .pass: .once
        }
    }

    /// A pass over some clusters prunes nothing.
    var prunes: Bool {
        if case .pass(_, .some) = self { false } else { true }
    }
}
