import NIOCore
import Synchronization

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A started simulator: its addresses, its run-time controls, and its shutdown.
///
/// Every control is safe to call from any task while clients are being answered; a request
/// already being answered keeps what it started with.
package final class RunningSimulator: Sendable {
    /// The CCE API, `https://127.0.0.1:<port>`: a client's CCE endpoint.
    package let apiEndpoint: URL
    /// IAM, `https://127.0.0.1:<port>`: a client's IAM endpoint for password login and projects.
    package let iamEndpoint: URL
    /// STS (new IAM), `https://127.0.0.1:<port>`: `AssumeAgency`.
    package let stsEndpoint: URL
    /// The ECS metadata service, `http://127.0.0.1:<port>`, when the configuration attaches an
    /// agency to the simulated server; `nil` otherwise.
    package let metadataEndpoint: URL?
    /// The PEM file of the CA behind the HTTPS endpoints' certificates, for a client's `ca_file`.
    package let caFile: URL

    private let state: SimulatorState
    private let listeners: Mutex<[any Channel]>
    private let connections: ConnectionRegistry

    init(
        apiEndpoint: URL,
        iamEndpoint: URL,
        stsEndpoint: URL,
        metadataEndpoint: URL?,
        caFile: URL,
        state: SimulatorState,
        listeners: [any Channel],
        connections: ConnectionRegistry
    ) {
        self.apiEndpoint = apiEndpoint
        self.iamEndpoint = iamEndpoint
        self.stsEndpoint = stsEndpoint
        self.metadataEndpoint = metadataEndpoint
        self.caFile = caFile
        self.state = state
        self.listeners = Mutex(listeners)
        self.connections = connections
    }

    private var lifecycle: ClusterLifecycle {
        ClusterLifecycle(state: state, connections: connections)
    }

    /// Each cluster's API server addresses, by cluster id.
    package var apiServers: [String: APIServerEndpoints] {
        state.clusters.mapValues(\.endpoints)
    }

    /// How many requests have named `clusterID` in a cluster-certificate path, whatever their
    /// outcome (refused credentials, throttled calls, faults and retries included); 0 for an id
    /// never asked for.
    package func requestCount(forCluster clusterID: String) -> Int {
        state.requestCount(forCluster: clusterID)
    }

    /// The serial number (lowercase hexadecimal) of the client certificate the cluster's API
    /// servers last saw in a request; `nil` before any.
    package func lastClientCertificateSerial(forCluster clusterID: String) -> String? {
        state.clients.lastSerial(forCluster: clusterID)
    }

    /// How many ListClusters requests (CCE and Autopilot) have named `projectID` in their path,
    /// whatever their outcome.
    package func listRequestCount(forProject projectID: String) -> Int {
        state.listRequestCount(forProject: projectID)
    }

    /// How many temporary keys IAM, STS and the metadata service have handed out, so a test can
    /// tell renewals from a fetch at every use.
    package var temporaryKeyCount: Int {
        state.issuedKeys.count
    }

    /// How many cluster-certificate calls the per-user throttle has refused with 429.
    /// Throttling injected with ``Fault/throttled(retryAfterSeconds:)`` is not counted here.
    package var throttledCount: Int {
        state.throttledCount
    }

    /// Makes the cluster's next requests fail with `fault`, or (`nil`) answer normally again.
    package func setFault(_ fault: Fault?, forCluster clusterID: String) throws(SimulatorError) {
        try state.setFault(fault, forCluster: clusterID)
    }

    /// Makes the next ListClusters calls of a project (both API families) fail with `fault`,
    /// or (`nil`) answer normally again. Certificate calls are not affected.
    ///
    /// - Throws: ``SimulatorError/invalidConfiguration(_:)`` for a fault that only damages
    ///   certificates (``Fault/badBase64``, ``Fault/plainHTTPServer``).
    package func setListFault(_ fault: Fault?, forProject projectID: String) throws(SimulatorError) {
        try state.setListFault(fault, forProject: projectID)
    }

    /// Changes what ListClusters reports as the cluster's `status.phase`, e.g. `Hibernation`.
    package func setPhase(_ phase: String, forCluster clusterID: String) throws(SimulatorError) {
        try state.setPhase(phase, forCluster: clusterID)
    }

    /// Creates a cluster while the simulator runs: its certificates, its API servers, and its
    /// entry in ListClusters, where it is listed last.
    ///
    /// - Returns: Its API server addresses.
    /// - Throws: ``SimulatorError/invalidConfiguration(_:)`` when the id, or the name in its
    ///   project, is taken; ``SimulatorError/startFailed(_:)`` when its servers cannot start.
    @discardableResult
    package func addCluster(_ cluster: SimulatedCluster) async throws(SimulatorError) -> APIServerEndpoints {
        try await lifecycle.add(cluster)
    }

    /// Deletes a cluster: it leaves ListClusters, its certificate calls get 404, and its API
    /// servers stop listening. Its request count is kept.
    package func removeCluster(_ clusterID: String) async throws(SimulatorError) {
        try await lifecycle.remove(clusterID)
    }

    /// Starts the control endpoint, plain HTTP on `http://127.0.0.1:<port>`, through which
    /// another process (a test, a benchmark) adds and removes clusters, sets phases and faults,
    /// and reads the counters; its requests and answers are in `docs/simulator.md`. It stops at
    /// ``shutdown()``.
    package func startControlEndpoint() async throws(SimulatorError) -> URL {
        do {
            let channel = try await HTTPSListener.bind(
                host: "127.0.0.1",
                tlsConfiguration: nil,
                responder: ControlResponder(state: state, lifecycle: lifecycle),
                connections: connections
            )
            listeners.withLock { $0.append(channel) }
            return URL(string: "http://127.0.0.1:\(channel.localAddress?.port ?? 0)")!
        } catch {
            throw .startFailed("cannot start the control endpoint: \(error)")
        }
    }

    /// Stops listening and closes every connection, hanging ones included. Safe to call twice.
    /// The event loops are NIO's process-wide singleton and stay up.
    package func shutdown() async {
        let fixed = listeners.withLock { $0 }
        await ClusterServers.stop(fixed + state.clusters.values.flatMap(\.listeners))
        await connections.closeAll()
    }
}

/// Creating and deleting clusters at run time, for ``RunningSimulator`` and its control endpoint.
struct ClusterLifecycle: Sendable {
    let state: SimulatorState
    let connections: ConnectionRegistry

    func add(_ cluster: SimulatedCluster) async throws(SimulatorError) -> APIServerEndpoints {
        // Checked before its servers start, and again when it joins, in case another was added meanwhile.
        try cluster.validate(joining: state.clusters.values.map(\.configuration), place: "the new cluster")
        let started: SimulatorState.Cluster
        do {
            started = try await ClusterServers.start(cluster, now: Date(), connections: connections, clients: state.clients)
        } catch {
            throw .startFailed("cannot start the API servers of \(cluster.clusterID): \(error)")
        }
        do {
            try state.add(started)
        } catch {
            await ClusterServers.stop(started.listeners)
            throw error
        }
        return started.endpoints
    }

    func remove(_ clusterID: String) async throws(SimulatorError) {
        let removed = try state.remove(clusterID)
        await ClusterServers.stop(removed.listeners)
    }
}
