import CCESigning
import NIOCore
import Synchronization

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What the endpoints share: the configuration, the tokens, and what changes at run time (the
/// clusters, their phases and faults, the list faults, the request counts and the throttle).
final class SimulatorState: Sendable {
    /// A cluster with what starting it made: its certificates and its API servers.
    struct Cluster: Sendable {
        let configuration: SimulatedCluster
        let pki: ClusterPKI
        let endpoints: APIServerEndpoints
        /// The `Port-ID` header of its answers: the port of the cluster's master node at CCE.
        let portID: String
        /// ListClusters' `metadata.creationTimestamp`.
        let createdAt: Date
        /// The listening channels of its API servers, closed when the cluster is removed.
        let listeners: [any Channel]
        /// Its place in ListClusters: the clusters of the configuration in their order, then
        /// those added at run time.
        var sequence = 0
    }

    private struct RunTime {
        var clusters: [String: Cluster] = [:]
        var phases: [String: String] = [:]
        var faults: [String: Fault] = [:]
        var requestCounts: [String: Int] = [:]
        var listFaults: [String: Fault] = [:]
        var listRequestCounts: [String: Int] = [:]
        var throttle: ThrottleLedger?
        var throttledCount = 0
        var insertions = 0

        mutating func insert(_ cluster: Cluster) {
            var cluster = cluster
            cluster.sequence = insertions
            insertions += 1
            let id = cluster.configuration.clusterID
            clusters[id] = cluster
            faults[id] = cluster.configuration.fault
        }
    }

    let configuration: SimulatorConfiguration
    let tokens: TokenStore
    /// The temporary keys IAM, STS and the metadata service handed out.
    let issuedKeys: IssuedKeyStore
    let authenticator: Authenticator
    /// The simulator's wall clock for everything that expires (tokens, temporary keys, id
    /// tokens) and for `X-Sdk-Date`; tests inject one they move by hand. Certificates and TLS
    /// use the real time, which the clients' TLS checks use too.
    let now: @Sendable () -> Date
    /// The client certificates the API servers saw.
    let clients: ClientCertificateLog
    private let runTime: Mutex<RunTime>

    init(
        configuration: SimulatorConfiguration,
        clusters: [Cluster],
        clients: ClientCertificateLog = ClientCertificateLog(),
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.configuration = configuration
        self.clients = clients
        self.now = now
        let issuedKeys = IssuedKeyStore()
        self.issuedKeys = issuedKeys
        tokens = TokenStore(staticTokens: configuration.staticTokens, account: configuration.defaultAccount)
        authenticator = Authenticator(
            accessKeys: configuration.accessKeys,
            temporaryAccessKeys: configuration.temporaryAccessKeys,
            verifier: SignatureVerifier(allowedClockSkew: configuration.allowedClockSkew),
            tokens: tokens,
            issuedKeys: issuedKeys,
            accessKeyOwners: configuration.accessKeyOwners,
            defaultAccount: configuration.defaultAccount
        )
        var runTime = RunTime(listFaults: configuration.listFaults, throttle: configuration.certificateThrottle.map(ThrottleLedger.init))
        for cluster in clusters {
            runTime.insert(cluster)
        }
        self.runTime = Mutex(runTime)
    }

    /// The cluster with this id, if it exists now.
    func cluster(_ clusterID: String) -> Cluster? {
        runTime.withLock { $0.clusters[clusterID] }
    }

    /// Every cluster now, by id.
    var clusters: [String: Cluster] {
        runTime.withLock { $0.clusters }
    }

    /// The clusters of one project and API family, oldest first, as ListClusters lists them,
    /// each with its phase now.
    func clusters(inProject projectID: String, type: SimulatedCluster.ClusterType) -> [(cluster: Cluster, phase: String)] {
        runTime.withLock { runTime in
            runTime.clusters.values
                .filter { $0.configuration.projectID == projectID && $0.configuration.type == type }
                .sorted { $0.sequence < $1.sequence }
                .map { ($0, runTime.phases[$0.configuration.clusterID] ?? $0.configuration.phase) }
        }
    }

    /// Every project id the simulator knows: its clusters' (those added at run time too) and the named ones.
    var projectIDs: Set<String> {
        let clusterProjects = runTime.withLock { Set($0.clusters.values.map(\.configuration.projectID)) }
        return clusterProjects.union(configuration.projectNames.keys)
    }

    /// Adds a started cluster, unless its id, or its name in its project, is taken.
    func add(_ cluster: Cluster) throws(SimulatorError) {
        try runTime.withLock { (runTime: inout RunTime) throws(SimulatorError) in
            try cluster.configuration.validate(joining: runTime.clusters.values.map(\.configuration), place: "the new cluster")
            runTime.insert(cluster)
        }
    }

    /// Removes a cluster with its phase and fault, keeping its request count; returns it so that
    /// its API servers can be stopped.
    func remove(_ clusterID: String) throws(SimulatorError) -> Cluster {
        try runTime.withLock { (runTime: inout RunTime) throws(SimulatorError) in
            guard let cluster = runTime.clusters.removeValue(forKey: clusterID) else { throw .unknownCluster(clusterID) }
            runTime.phases[clusterID] = nil
            runTime.faults[clusterID] = nil
            return cluster
        }
    }

    /// Hands out a temporary key that lives `requested` seconds from `now`, or the configured
    /// ``SimulatorConfiguration/temporaryKeyLifetime`` whatever was asked.
    func issueTemporaryKey(account: String, mayAssumeAgencies: Bool, requested seconds: Int, now: Date) -> IssuedKeyStore.Key {
        let lifetime = configuration.temporaryKeyLifetime?.timeInterval ?? Double(seconds)
        return issuedKeys.issue(account: account, mayAssumeAgencies: mayAssumeAgencies, expiresAt: now + lifetime)
    }

    /// Whether `principal` may act in `projectID`: its scope allows it, and the project is of
    /// its account when the configuration gives the project one.
    func mayAct(_ principal: Principal, in projectID: String) -> Bool {
        principal.mayAct(in: projectID, ofAccount: configuration.projectAccounts[projectID])
    }

    /// Waits the configured ``SimulatorConfiguration/responseLatency`` before an answer of the
    /// CCE or IAM endpoint (not at all when it is zero, or when the task is cancelled).
    func delayAnswer() async {
        guard configuration.responseLatency > .zero else { return }
        try? await Task.sleep(for: configuration.responseLatency)
    }

    /// Counts a request whose path names `clusterID`, whether or not that cluster exists.
    func countRequest(forCluster clusterID: String) {
        runTime.withLock { $0.requestCounts[clusterID, default: 0] += 1 }
    }

    /// Every cluster id's request count.
    var requestCounts: [String: Int] {
        runTime.withLock { $0.requestCounts }
    }

    func requestCount(forCluster clusterID: String) -> Int {
        runTime.withLock { $0.requestCounts[clusterID, default: 0] }
    }

    func fault(forCluster clusterID: String) -> Fault? {
        runTime.withLock { $0.faults[clusterID] }
    }

    func setFault(_ fault: Fault?, forCluster clusterID: String) throws(SimulatorError) {
        try runTime.withLock { (runTime: inout RunTime) throws(SimulatorError) in
            guard runTime.clusters[clusterID] != nil else { throw .unknownCluster(clusterID) }
            runTime.faults[clusterID] = fault
        }
    }

    func setPhase(_ phase: String, forCluster clusterID: String) throws(SimulatorError) {
        guard !phase.isEmpty else { throw .invalidConfiguration("a phase must not be empty") }
        try runTime.withLock { (runTime: inout RunTime) throws(SimulatorError) in
            guard runTime.clusters[clusterID] != nil else { throw .unknownCluster(clusterID) }
            runTime.phases[clusterID] = phase
        }
    }

    /// Counts a ListClusters request whose path names `projectID`, whatever its outcome.
    func countListRequest(forProject projectID: String) {
        runTime.withLock { $0.listRequestCounts[projectID, default: 0] += 1 }
    }

    /// Every project id's list request count.
    var listRequestCounts: [String: Int] {
        runTime.withLock { $0.listRequestCounts }
    }

    func listRequestCount(forProject projectID: String) -> Int {
        runTime.withLock { $0.listRequestCounts[projectID, default: 0] }
    }

    func listFault(forProject projectID: String) -> Fault? {
        runTime.withLock { $0.listFaults[projectID] }
    }

    /// Sets or clears the fault of a project's list call; any project id may have one, so a list
    /// of a project without clusters can fail too.
    func setListFault(_ fault: Fault?, forProject projectID: String) throws(SimulatorError) {
        if let fault, !fault.appliesToListCalls {
            throw .invalidConfiguration("the fault \(fault) applies to certificate answers only")
        }
        runTime.withLock { $0.listFaults[projectID] = fault }
    }

    /// Whether the per-user throttle lets a certificate call of `user` pass now; a refusal is
    /// counted in ``throttledCount``. Always admitted without a throttle.
    func admitCertificateCall(of user: String, at now: ContinuousClock.Instant) -> ThrottleLedger.Decision {
        runTime.withLock { runTime in
            guard var ledger = runTime.throttle else { return .admitted }
            let decision = ledger.decide(user: user, at: now)
            runTime.throttle = ledger
            if case .refused = decision {
                runTime.throttledCount += 1
            }
            return decision
        }
    }

    /// How many 429s the throttle has answered.
    var throttledCount: Int {
        runTime.withLock { $0.throttledCount }
    }
}
