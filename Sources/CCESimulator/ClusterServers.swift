import NIOCore
import NIOSSL

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Starting one cluster: its certificates and its API servers, at simulator start or when a
/// cluster is added at run time.
enum ClusterServers {
    /// Makes the cluster's PKI and listens on 127.0.0.1 (and 127.0.0.2 when it has an external
    /// endpoint), each on an ephemeral port. Nothing stays open when it fails.
    static func start(_ cluster: SimulatedCluster, now: Date, connections: ConnectionRegistry, clients: ClientCertificateLog) async throws
        -> SimulatorState.Cluster
    {
        let pki = try ClusterPKI(clusterID: cluster.clusterID, now: now)
        let tls = try pki.apiServerIdentity.serverConfiguration(clientCertificateIssuer: pki.authority.certificate)
        let clusterID = cluster.clusterID
        let responder = KubernetesAPIResponder { clients.record($0, forCluster: clusterID) }
        var listeners: [any Channel] = []
        do {
            func listen(_ host: String) async throws -> URL {
                let channel = try await HTTPSListener.bind(
                    host: host,
                    tlsConfiguration: tls,
                    responder: responder,
                    connections: connections
                )
                listeners.append(channel)
                return URL(string: "https://\(host):\(channel.localAddress?.port ?? 0)")!
            }
            let endpoints = APIServerEndpoints(
                internal: try await listen("127.0.0.1"),
                external: cluster.hasExternalEndpoint ? try await listen("127.0.0.2") : nil
            )
            return SimulatorState.Cluster(
                configuration: cluster,
                pki: pki,
                endpoints: endpoints,
                portID: UUID().uuidString.lowercased(),
                createdAt: now,
                listeners: listeners
            )
        } catch {
            await stop(listeners)
            throw error
        }
    }

    /// Stops listening; connections already open are closed at shutdown.
    static func stop(_ listeners: [any Channel]) async {
        for listener in listeners {
            try? await listener.close()
        }
    }
}
