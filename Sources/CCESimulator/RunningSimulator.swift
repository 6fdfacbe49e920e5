#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOCore

/// A started simulator: its addresses, its run-time controls, and its shutdown.
package final class RunningSimulator: Sendable {
    /// The CCE API, `https://127.0.0.1:<port>`: a client's CCE endpoint.
    package let apiEndpoint: URL
    /// IAM, `https://127.0.0.1:<port>`: a client's IAM endpoint for password login.
    package let iamEndpoint: URL
    /// The PEM file of the CA behind both endpoints' certificates, for a client's `ca_file`.
    package let caFile: URL

    private let state: SimulatorState
    private let listeners: [any Channel]
    private let connections: ConnectionRegistry

    init(
        apiEndpoint: URL,
        iamEndpoint: URL,
        caFile: URL,
        state: SimulatorState,
        listeners: [any Channel],
        connections: ConnectionRegistry
    ) {
        self.apiEndpoint = apiEndpoint
        self.iamEndpoint = iamEndpoint
        self.caFile = caFile
        self.state = state
        self.listeners = listeners
        self.connections = connections
    }

    /// Each cluster's API server addresses, by cluster id.
    package var apiServers: [String: APIServerEndpoints] {
        state.clusters.mapValues(\.endpoints)
    }

    /// How many requests have named `clusterID` in a cluster-certificate path, whatever their
    /// outcome (refused credentials, faults and retries included); 0 for an id never asked for.
    package func requestCount(forCluster clusterID: String) -> Int {
        state.requestCount(forCluster: clusterID)
    }

    /// Makes the cluster's next requests fail with `fault`, or (`nil`) answer normally again.
    /// A request already being answered keeps the fault it started with.
    package func setFault(_ fault: Fault?, forCluster clusterID: String) throws(SimulatorError) {
        try state.setFault(fault, forCluster: clusterID)
    }

    /// Stops listening and closes every connection, hanging ones included. Safe to call twice.
    /// The event loops are NIO's process-wide singleton and stay up.
    package func shutdown() async {
        for listener in listeners {
            try? await listener.close()
        }
        await connections.closeAll()
    }
}
