import CCESigning
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Synchronization

/// What the endpoints share: the configuration, each cluster's certificates and API server
/// addresses, the tokens, and what changes at run time (faults and request counts).
final class SimulatorState: Sendable {
    /// A configured cluster with what start-up made for it.
    struct Cluster: Sendable {
        let configuration: SimulatedCluster
        let pki: ClusterPKI
        let endpoints: APIServerEndpoints
        /// The `Port-ID` header of its answers: the port of the cluster's master node at CCE.
        let portID: String
    }

    private struct RunTime {
        var faults: [String: Fault] = [:]
        var requestCounts: [String: Int] = [:]
    }

    let configuration: SimulatorConfiguration
    let clusters: [String: Cluster]
    let tokens: TokenStore
    let authenticator: Authenticator
    private let runTime: Mutex<RunTime>

    init(configuration: SimulatorConfiguration, clusters: [Cluster]) {
        self.configuration = configuration
        self.clusters = Dictionary(uniqueKeysWithValues: clusters.map { ($0.configuration.clusterID, $0) })
        tokens = TokenStore(staticTokens: configuration.staticTokens)
        authenticator = Authenticator(
            accessKeys: configuration.accessKeys,
            temporaryAccessKeys: configuration.temporaryAccessKeys,
            verifier: SignatureVerifier(allowedClockSkew: configuration.allowedClockSkew),
            tokens: tokens
        )
        runTime = Mutex(RunTime(faults: Dictionary(uniqueKeysWithValues: clusters.compactMap { cluster in
            cluster.configuration.fault.map { (cluster.configuration.clusterID, $0) }
        })))
    }

    /// Every project id the simulator knows: its clusters' and the named ones.
    var projectIDs: Set<String> {
        Set(clusters.values.map(\.configuration.projectID)).union(configuration.projectNames.keys)
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

    func requestCount(forCluster clusterID: String) -> Int {
        runTime.withLock { $0.requestCounts[clusterID, default: 0] }
    }

    func fault(forCluster clusterID: String) -> Fault? {
        runTime.withLock { $0.faults[clusterID] }
    }

    func setFault(_ fault: Fault?, forCluster clusterID: String) throws(SimulatorError) {
        guard clusters[clusterID] != nil else { throw .unknownCluster(clusterID) }
        runTime.withLock { $0.faults[clusterID] = fault }
    }
}
