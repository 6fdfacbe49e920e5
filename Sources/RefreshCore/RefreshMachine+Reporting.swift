import Fleet
import Kubeconfig
import Renewal
import WatchList

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension RefreshMachine {
    /// What a pass did with one cluster.
    package enum PassOutcome: Sendable, Hashable {
        /// Fetched and written; `changed` is false when the kubeconfig already held exactly this.
        case refreshed(validUntil: Date, changed: Bool)
        /// Not due yet.
        case fresh(until: Date, reason: RenewalDecision.Reason)
        /// Not fetched or not written; its previous entries are untouched.
        case failed(String)

        /// Not sent: its credential set was refused for another cluster of the same pass.
        static func notTried(refusedCredentials credentials: String) -> Self {
            .failed("not tried: credential set \"\(credentials)\" was refused (HTTP 401) for another cluster in this pass")
        }
    }
}

extension RefreshMachine {
    /// Every watched cluster's state, in watch-list order.
    package var states: [(watchName: String, state: ClusterState)] { roster.states }

    /// The list calls the last listing of the fleet could not make, each one sentence: shown in
    /// `STATUS=` and `status` until a listing answers in full.
    package var listingFailures: [String] { scope.listingFailures }

    /// systemd's `STATUS=` line now.
    package func statusLine(at now: Date) -> String {
        StatusLine.make(states, listingFailures: listingFailures, refusedConfig: refusedConfig, now: now)
    }

    /// One cluster's record.
    package func record(_ watchName: String) -> ClusterRoster.Record? {
        roster[watchName]
    }

    /// Whether nothing is queued, fetched, being fetched or being written: a pass is done then.
    package var isIdle: Bool {
        batcher.isIdle && admission.isEmpty && !roster.holdsResults
    }
}

extension WatchListConfig {
    /// How the credential set `name` authenticates, for its circuit breaker.
    func breakerCredential(for name: String) -> CredentialCircuitBreaker.Credential {
        switch credentials[name] {
        case .password: .password
        case .token: .token
        // Exchanged sets are exchanged anew by the client when CCE refuses kept credentials,
        // so a refusal that reaches the breaker is final, like a key pair's.
        case .aksk, .sdk, .agency, .oidc, .metadata, .process, nil: .accessKey
        }
    }
}

extension WriteResult {
    var succeeded: Bool {
        if case .completed = self { true } else { false }
    }
}
