import NIOCore
import NIOSSL

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A fake of Huawei Cloud's CCE, IAM and STS APIs and of the ECS metadata service on loopback, faithful where a client can tell:
/// HTTPS with its own CA, AK/SK and token authentication with the real error shapes, the
/// cluster-certificate APIs with real certificates, and one real mTLS API server per cluster.
///
/// `docs/simulator.md` lists what it simulates, its configuration file, the faults, and what
/// it does not do like the real service.
package enum CCESimulator {
    /// Starts every endpoint on an ephemeral port and writes the CA file into `directory`
    /// (created if needed).
    ///
    /// Listens on 127.0.0.1 only, plus 127.0.0.2 for external endpoints. Certificates are made
    /// at start (P-256, fast); each cluster's RSA client key is made on its first request.
    /// Call ``RunningSimulator/shutdown()`` when done; ``RunningSimulator/startControlEndpoint()``
    /// adds an HTTP endpoint that drives the simulator from another process.
    ///
    /// - Parameter now: the clock of everything that expires (tokens, temporary keys, id tokens)
    ///   and of the `X-Sdk-Date` check; a test moves its own by hand. Certificates use real time.
    package static func start(
        _ configuration: SimulatorConfiguration,
        directory: URL,
        now clock: @escaping @Sendable () -> Date = { Date() }
    ) async throws(SimulatorError) -> RunningSimulator {
        try configuration.validate()
        let now = Date()
        let apiIdentity: TLSIdentity
        let caFile = directory.appendingPathComponent("ca.pem")
        do {
            let authority = try CertificateAuthority(commonName: "CCE Simulator API CA", now: now)
            apiIdentity = try authority.issueServerIdentity(
                commonName: "127.0.0.1",
                ipAddresses: [[127, 0, 0, 1]],
                dnsNames: ["localhost"],
                now: now
            )
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            // A plain write: the directory is new and the simulator's own. Foundation's atomic
            // write leaves a `TemporaryDirectory.*` behind in /tmp on Linux at every start.
            try Data(try authority.pem().utf8).write(to: caFile)
        } catch {
            throw .startFailed("cannot make the API CA and write \(caFile.path): \(error)")
        }

        let connections = ConnectionRegistry()
        let clients = ClientCertificateLog()
        var clusters: [SimulatorState.Cluster] = []
        var listeners: [any Channel] = []
        do {
            for cluster in configuration.clusters {
                clusters.append(try await ClusterServers.start(cluster, now: now, connections: connections, clients: clients))
            }
            let state = SimulatorState(configuration: configuration, clusters: clusters, clients: clients, now: clock)
            let tls = try apiIdentity.serverConfiguration()
            func listen(_ responder: any HTTPResponder) async throws -> URL {
                let channel = try await HTTPSListener.bind(
                    host: "127.0.0.1",
                    tlsConfiguration: tls,
                    responder: responder,
                    connections: connections
                )
                listeners.append(channel)
                return URL(string: "https://127.0.0.1:\(channel.localAddress?.port ?? 0)")!
            }
            let apiEndpoint = try await listen(CCEAPIResponder(state: state))
            let iamEndpoint = try await listen(IAMResponder(state: state, cceEndpoint: apiEndpoint))
            let stsEndpoint = try await listen(STSResponder(state: state))
            var metadataEndpoint: URL?
            if let service = configuration.metadata,
                let agency = configuration.agency(named: service.agencyName, inAccount: service.agencyAccount)
            {
                let responder = MetadataResponder(state: state, service: service, agency: agency)
                let channel = try await HTTPSListener.bind(
                    host: "127.0.0.1",
                    tlsConfiguration: nil,
                    responder: responder,
                    connections: connections
                )
                listeners.append(channel)
                metadataEndpoint = URL(string: "http://127.0.0.1:\(channel.localAddress?.port ?? 0)")!
            }
            return RunningSimulator(
                apiEndpoint: apiEndpoint,
                iamEndpoint: iamEndpoint,
                stsEndpoint: stsEndpoint,
                metadataEndpoint: metadataEndpoint,
                caFile: caFile,
                state: state,
                listeners: listeners,
                connections: connections
            )
        } catch {
            await ClusterServers.stop(listeners + clusters.flatMap(\.listeners))
            await connections.closeAll()
            throw .startFailed("\(error)")
        }
    }
}
