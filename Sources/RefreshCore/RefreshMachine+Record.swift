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
    /// Where one cluster is in its cycle.
    package enum Activity: Sendable, Hashable {
        /// Nothing planned: not evaluated yet, or a pass is done with it.
        case idle
        /// Its timer is armed for `at`.
        case scheduled(at: Date)
        /// Due: queued for a fetch slot or being fetched (``FetchAdmission`` knows which).
        case admitted
        /// Fetched, waiting for the next write.
        case awaitingWrite(ManagedCluster)
        /// In the write running now.
        case beingWritten(ManagedCluster)
    }

    /// One watched cluster.
    package struct Record: Sendable {
        package var cluster: WatchedCluster
        package var state: ClusterState
        package var retry = ClusterRetryState()
        package var activity = Activity.idle
        /// The entries last written or found for it: what a heal restores.
        package var entries: ManagedCluster?
    }

    /// What a pass did with one cluster.
    package enum PassOutcome: Sendable, Hashable {
        /// Fetched and written; `changed` is false when the kubeconfig already held exactly this.
        case refreshed(validUntil: Date, changed: Bool)
        /// Not due yet.
        case fresh(until: Date, reason: RenewalDecision.Reason)
        /// Not fetched or not written; its previous entries are untouched.
        case failed(String)
    }
}

extension RefreshMachine {
    /// Every watched cluster's state, in watch-list order, with the console name of the cluster
    /// as the current watch list (or listing) gives it.
    package var states: [(watchName: String, state: ClusterState)] {
        config.clusters.compactMap { cluster in
            records[cluster.name].map { record in
                var state = record.state
                state.consoleName = cluster.consoleName
                return (cluster.name, state)
            }
        }
    }

    /// The list calls the last listing of the fleet could not make, each one sentence: shown in
    /// `STATUS=` and `status` until a listing answers in full.
    package var listingFailures: [String] { scope.listingFailures }

    /// systemd's `STATUS=` line now.
    package func statusLine(at now: Date) -> String {
        StatusLine.make(states, listingFailures: listingFailures, refusedConfig: refusedConfig, now: now)
    }

    /// One cluster's record.
    package func record(_ watchName: String) -> Record? {
        records[watchName]
    }

    /// Whether nothing is queued, fetched, being fetched or being written: a pass is done then.
    package var isIdle: Bool {
        batcher.isIdle && admission.isEmpty
            && !records.values.contains { record in
                switch record.activity {
                case .idle, .scheduled, .admitted: false
                case .awaitingWrite, .beingWritten: true
                }
            }
    }
}

extension RefreshMachine.Record {
    /// The record of `cluster` at a start or a change of the watch list: a new one from the
    /// kubeconfig (the certificate there is the truth) and the state a previous run left, or
    /// `previous` brought up to date.
    init(_ cluster: WatchedCluster, previous: Self?, contents: KubeconfigContents, persisted: [String: ClusterState]) {
        guard var record = previous else {
            var state = persisted[cluster.name] ?? ClusterState()
            // The pacer that held it back is gone with the process that ran it.
            state.rateLimited = nil
            let existing = contents.entries[cluster.name]
            state.certificate = existing?.clientCertificate
            self.init(cluster: cluster, state: state, entries: existing)
            return
        }
        if record.cluster.clusterID != cluster.clusterID || record.cluster.projectID != cluster.projectID {
            // Another cluster under the watch name (one re-created under its console name): the
            // certificate held is not its, so it is due now, and the old cluster's failures do
            // not hold it back.
            record.state.certificate = nil
            record.retry = ClusterRetryState()
        }
        record.cluster = cluster
        if record.entries == nil { record.entries = contents.entries[cluster.name] }
        self = record
    }

    /// When the cluster is due by `policy`, its backoff and its set's open circuit (held until
    /// `heldUntil`), and the renewal rule that set it.
    func due(by policy: RenewalPolicy, heldUntil: Date?, at now: Date) -> (Date, RenewalDecision.Reason) {
        let jitter = state.certificate.map { RenewalPolicy.jitterFraction(cluster: cluster.name, certificate: $0) } ?? 0
        let decision = policy.decide(certificate: state.certificate, lastRefresh: state.lastSuccess, now: now, jitterFraction: jitter)
        let due = max(decision.renewAt, retry.nextAttempt ?? .distantPast, heldUntil ?? .distantPast)
        return (due, decision.reason)
    }

    /// Records the entries written at `now`.
    mutating func written(_ managed: ManagedCluster, at now: Date) {
        state.recordSuccess(at: now, certificate: managed.clientCertificate)
        retry.recordSuccess()
        entries = managed
        activity = .idle
    }

    /// Records a failed refresh at `now`; returns when to try again.
    mutating func failed(_ failure: FetchFailure, at now: Date, jitterFraction: Double) -> Date {
        let next = retry.recordFailure(failure.kind, at: now, certificateExpiry: state.certificateNotAfter, jitterFraction: jitterFraction)
        state.recordFailure(failure.sentence, at: now, retry: retry)
        activity = .idle
        return next
    }

    /// Whether the cluster's fetched entries wait for a write.
    var awaitsWrite: Bool {
        if case .awaitingWrite = activity { true } else { false }
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
