import Fleet
import Kubeconfig
import Renewal
import WatchList

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The books of every watched cluster, in watch-list order: what it holds (its state, backoff and
/// entries) and where it is in its cycle. Part of ``RefreshMachine``, which decides; this keeps
/// the records and their moves from one ``Activity`` to the next, as async-http-client's pool
/// keeps its connections in `HTTP1Connections`. A move that does not fit the cluster's activity
/// (a fetch result for one being written, a timer of one already queued) changes nothing.
package struct ClusterRoster: Sendable {
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

    /// A cluster that left the watch list.
    package struct Departure: Sendable, Hashable {
        package var watchName: String
        /// Its renewal timer was armed: cancel it.
        package var wasScheduled: Bool

        package init(watchName: String, wasScheduled: Bool) {
            self.watchName = watchName
            self.wasScheduled = wasScheduled
        }
    }

    /// The watch names, in watch-list order.
    private var order: [String] = []
    private var records: [String: Record] = [:]

    package init() {}

    /// The record of `watchName`, if it is watched.
    package subscript(watchName: String) -> Record? {
        records[watchName]
    }

    /// Every watched cluster's state, in watch-list order.
    package var states: [(watchName: String, state: ClusterState)] {
        order.compactMap { name in records[name].map { (name, $0.state) } }
    }

    /// The entries a heal restores, in watch-list order.
    package var entriesToKeep: [ManagedCluster] {
        order.compactMap { records[$0]?.entries }
    }

    /// Whether some fetched entries wait for a write.
    package var resultsWait: Bool {
        records.values.contains { if case .awaitingWrite = $0.activity { true } else { false } }
    }

    /// Whether some fetched entries wait for a write or are being written.
    package var holdsResults: Bool {
        records.values.contains { record in
            switch record.activity {
            case .idle, .scheduled, .admitted: false
            case .awaitingWrite, .beingWritten: true
            }
        }
    }

    // MARK: - The watch list

    /// Takes the clusters of a watch list: a new one's record starts from the kubeconfig (the
    /// certificate there is the truth) and from the state a previous run left (`persisted`); a
    /// known one is brought up to date. Returns those that left, in their old order.
    package mutating func adopt(
        _ clusters: [WatchedCluster],
        contents: KubeconfigContents,
        persisted: [String: ClusterState] = [:]
    ) -> [Departure] {
        let kept = Set(clusters.map(\.name))
        let departures = order.filter { !kept.contains($0) }.map { name in
            let wasScheduled = if case .scheduled? = records[name]?.activity { true } else { false }
            return Departure(watchName: name, wasScheduled: wasScheduled)
        }
        for departure in departures { records[departure.watchName] = nil }
        for cluster in clusters {
            records[cluster.name] = Record(cluster, previous: records[cluster.name], contents: contents, persisted: persisted)
        }
        order = clusters.map(\.name)
        return departures
    }

    // MARK: - Moves

    /// Whether `watchName` waits for its turn (idle, or its timer armed): only such a cluster is
    /// evaluated, one admitted, fetched or being written is on its way.
    package func waits(_ watchName: String) -> Bool {
        switch records[watchName]?.activity {
        case .idle?, .scheduled?: true
        case .admitted?, .awaitingWrite?, .beingWritten?, nil: false
        }
    }

    /// Arms `watchName`'s renewal for `date`; false when it is armed for that instant already.
    package mutating func schedule(_ watchName: String, at date: Date) -> Bool {
        guard records[watchName] != nil else { return false }
        if case .scheduled(let armed) = records[watchName]?.activity, armed == date { return false }
        records[watchName]?.activity = .scheduled(at: date)
        return true
    }

    /// `watchName`'s timer fired: true when it was armed, and it is idle now.
    package mutating func timerFired(_ watchName: String) -> Bool {
        guard case .scheduled = records[watchName]?.activity else { return false }
        records[watchName]?.activity = .idle
        return true
    }

    /// Queues `watchName` for a fetch when it waits: its cluster, and whether its armed timer
    /// must be cancelled. `nil` when it is on its way already or not watched.
    package mutating func admit(_ watchName: String) -> (cluster: WatchedCluster, cancelsTimer: Bool)? {
        guard waits(watchName), let record = records[watchName] else { return nil }
        let cancelsTimer = if case .scheduled = record.activity { true } else { false }
        records[watchName]?.activity = .admitted
        return (record.cluster, cancelsTimer)
    }

    /// `watchName` left the queue without a result (refused before sending, or abandoned).
    package mutating func release(_ watchName: String) {
        records[watchName]?.activity = .idle
    }

    /// `watchName` was fetched: its entries wait for the next write.
    package mutating func fetched(_ watchName: String, _ managed: ManagedCluster) {
        guard case .admitted? = records[watchName]?.activity else { return }
        records[watchName]?.activity = .awaitingWrite(managed)
    }

    /// Everything fetched goes into the write starting now: the entries, in watch-list order.
    package mutating func beginWrite() -> [ManagedCluster] {
        order.compactMap { name in
            guard case .awaitingWrite(let managed)? = records[name]?.activity else { return nil }
            records[name]?.activity = .beingWritten(managed)
            return managed
        }
    }

    /// The write ended: what it carried, in watch-list order, each cluster idle again, or waiting
    /// for the next write when `keepingResults` (a failed write the service retries).
    package mutating func endWrite(keepingResults: Bool) -> [(watchName: String, managed: ManagedCluster)] {
        order.compactMap { name in
            guard case .beingWritten(let managed)? = records[name]?.activity else { return nil }
            records[name]?.activity = keepingResults ? .awaitingWrite(managed) : .idle
            return (name, managed)
        }
    }

    // MARK: - Outcomes

    /// `managed` was written for `watchName` at `now`.
    package mutating func written(_ watchName: String, _ managed: ManagedCluster, at now: Date) {
        records[watchName]?.written(managed, at: now)
    }

    /// A refresh of `watchName` failed at `now`: when to try again, `nil` when it is not watched.
    package mutating func failed(_ watchName: String, _ failure: FetchFailure, at now: Date, jitterFraction: Double) -> Date? {
        records[watchName]?.failed(failure, at: now, jitterFraction: jitterFraction)
    }

    /// When `watchName` is tried next.
    package mutating func setNextAttempt(_ watchName: String, _ date: Date) {
        records[watchName]?.state.nextAttempt = date
    }

    /// Why and until when the pacer holds `watchName` back, or `nil` once it is let go.
    package mutating func setRateLimit(_ watchName: String, _ wait: ClusterState.RateLimitWait?) {
        records[watchName]?.state.rateLimited = wait
    }

    /// Drops the certificate held for `watchName`, so that it is due now; false when it is not
    /// watched.
    package mutating func forgetCertificate(_ watchName: String) -> Bool {
        guard records[watchName] != nil else { return false }
        records[watchName]?.state.certificate = nil
        return true
    }

    /// Clears the backoff of the clusters of the credential `sets`, of all of them when `kinds`
    /// is `nil`, else of those whose last failure was one of `kinds`: evaluated next, the due
    /// ones go at once.
    package mutating func forgetFailures(of sets: Set<String>, _ kinds: Set<FailureKind>? = nil) {
        for name in order {
            guard let record = records[name], sets.contains(record.cluster.credentials) else { continue }
            if let kinds, !(record.retry.lastFailure.map(kinds.contains) ?? false) { continue }
            records[name]?.retry.recordSuccess()
        }
    }
}

extension ClusterRoster.Record {
    /// The record of `cluster` at a start or a change of the watch list: a new one from the
    /// kubeconfig and the state a previous run left, or `previous` brought up to date.
    init(_ cluster: WatchedCluster, previous: Self?, contents: KubeconfigContents, persisted: [String: ClusterState]) {
        guard var record = previous else {
            var state = persisted[cluster.name] ?? ClusterState()
            // The pacer that held it back is gone with the process that ran it.
            state.rateLimited = nil
            let existing = contents.entries[cluster.name]
            state.certificate = existing?.clientCertificate
            state.consoleName = cluster.consoleName
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
        record.state.consoleName = cluster.consoleName
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

    mutating func written(_ managed: ManagedCluster, at now: Date) {
        state.recordSuccess(at: now, certificate: managed.clientCertificate)
        retry.recordSuccess()
        entries = managed
        activity = .idle
    }

    mutating func failed(_ failure: FetchFailure, at now: Date, jitterFraction: Double) -> Date {
        let next = retry.recordFailure(failure.kind, at: now, certificateExpiry: state.certificateNotAfter, jitterFraction: jitterFraction)
        state.recordFailure(failure.sentence, at: now, retry: retry)
        activity = .idle
        return next
    }
}
