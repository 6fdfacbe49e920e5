import CCESimulator
import Foundation
import Logging
import Synchronization
import Testing
import WatchList

@testable import CCE

/// Temporary credentials over time, against the simulator's IAM and metadata service with one
/// clock moved by hand for both: short-lived keys are renewed before they expire (each renewal
/// logged, no fetch refused), and an id token file replaced between two exchanges is read anew.
@Suite struct RenewalAgainstSimulatorTests {
    static let account = "prod-account"
    static let project = "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"
    static let cluster = "6b000000-0000-4000-8000-000000000001"
    static let issuer = "https://ci.example.test"

    /// Log lines kept for the test to read.
    final class LogLines: LogHandler, @unchecked Sendable {
        private let lines = Mutex<[String]>([])
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            lines.withLock { $0.append("\(event.message)") }
        }

        var all: [String] { lines.withLock { $0 } }
    }

    private func simulatorConfiguration(signer: IDTokenSigner) -> SimulatorConfiguration {
        var configuration = SimulatorConfiguration(
            projectNames: [Self.project: "cn-north-4"],
            clusters: [SimulatedCluster(projectID: Self.project, clusterID: Self.cluster, name: "prod-web")]
        )
        configuration.projectAccounts = [Self.project: Self.account]
        configuration.agencies = [Agency(account: Self.account, name: "ecs-agency", trustedAccount: "op_svc_ecs")]
        configuration.metadata = MetadataService(agencyAccount: Self.account, agencyName: "ecs-agency", keyLifetime: .seconds(900))
        configuration.identityProviders = [
            IdentityProvider(
                id: "ci",
                account: Self.account,
                issuer: Self.issuer,
                clientID: "kubeconfigd",
                publicKeyPEM: signer.publicKeyPEM
            )
        ]
        return configuration
    }

    private func cluster(_ simulator: RunningSimulator) -> WatchedCluster {
        WatchedCluster(
            name: "prod",
            projectID: Self.project,
            clusterID: Self.cluster,
            region: "cn-north-4",
            options: ClusterOptions(
                credentials: "in",
                endpoint: simulator.apiEndpoint,
                caFile: simulator.caFile.path,
                api: .post,
                type: .cce,
                durationDays: 30
            )
        )
    }

    /// Runs `body` with a simulator and a client on `clock`, and shuts both down after it.
    private func withSimulator(
        signer: IDTokenSigner,
        clock: TestClock,
        client configuration: CCEClient.Configuration,
        _ body: (TemporaryDirectory, RunningSimulator, CCEClient) async throws -> Void
    ) async throws {
        try await TemporaryDirectory.with { directory in
            let simulator = try await CCESimulator.start(
                simulatorConfiguration(signer: signer),
                directory: URL(fileURLWithPath: directory.file("simulator")),
                now: { clock.now }
            )
            let client = CCEClient(configuration: configuration)
            do {
                try await body(directory, simulator, client)
            } catch {
                await client.shutdown()
                await simulator.shutdown()
                throw error
            }
            await client.shutdown()
            await simulator.shutdown()
        }
    }

    @Test func fifteenMinuteKeysAreRenewedBeforeTheyExpireAndEveryRenewalIsLogged() async throws {
        let clock = TestClock(Date())
        let lines = LogLines()
        let configuration = CCEClient.Configuration(now: { clock.now }, logger: Logger(label: "test") { _ in lines })
        try await withSimulator(signer: IDTokenSigner(), clock: clock, client: configuration) { _, simulator, client in
            let credential = ResolvedCredential.exchanged(.metadata(endpoint: try #require(simulator.metadataEndpoint)))
            do {
                // Half an hour of fetches a minute apart, as a daemon's discovery listing would make.
                for _ in 0...30 {
                    _ = try await client.clusterCertificate(for: cluster(simulator), named: "in", using: credential)
                    clock.advance(by: 60)
                }
            } catch {
                Issue.record("a fetch failed: \(error)")
            }
        }
        let obtained = lines.all.filter { $0.hasPrefix("obtained temporary credentials") }
        let renewed = lines.all.filter { $0.hasPrefix("renewed temporary credentials before they expire") }
        #expect(obtained.count == 1)
        // Keys of 15 minutes are renewed 5 minutes before they expire: at 10, 20 and 30 minutes.
        #expect(renewed.count == 3, "\(lines.all)")
        #expect(!lines.all.contains { $0.contains("refused") })
    }

    @Test func idTokenFileReplacedBetweenTwoExchangesIsReadAnew() async throws {
        let clock = TestClock(Date())
        let signer = IDTokenSigner()
        try await withSimulator(signer: signer, clock: clock, client: .init(now: { clock.now })) { directory, simulator, client in
            let first = signer.sign(
                issuer: Self.issuer,
                audience: "kubeconfigd",
                subject: "job-1",
                issuedAt: clock.now,
                expiresAt: clock.now + 1_200
            )
            let tokenFile = try directory.write(first, to: "id-token")
            let oidc = OIDCSet(idpID: "ci", idTokenFile: tokenFile, scope: .project(id: Self.project), caFile: simulator.caFile.path)
            let credential = ResolvedCredential.exchanged(.oidc(oidc, iamEndpoint: simulator.iamEndpoint))
            do {
                _ = try await client.clusterCertificate(for: cluster(simulator), named: "in", using: credential)
                // CI rotates the token; the first one expires 20 minutes in, long before the keys
                // it bought are renewed (after 54 of their 60 minutes).
                let second = signer.sign(
                    issuer: Self.issuer,
                    audience: "kubeconfigd",
                    subject: "job-2",
                    issuedAt: clock.now,
                    expiresAt: clock.now + 7_200
                )
                try directory.write(second, to: "id-token")
                clock.advance(by: 55 * 60)
                _ = try await client.clusterCertificate(for: cluster(simulator), named: "in", using: credential)
            } catch {
                Issue.record("a fetch failed: \(error)")
            }
        }
    }

    @Test func idTokenThatExpiredIsRefusedAsTheSetsRefusal() async throws {
        let clock = TestClock(Date())
        let signer = IDTokenSigner()
        try await withSimulator(signer: signer, clock: clock, client: .init(now: { clock.now })) { directory, simulator, client in
            let stale = signer.sign(
                issuer: Self.issuer,
                audience: "kubeconfigd",
                subject: "job-1",
                issuedAt: clock.now - 7_200,
                expiresAt: clock.now - 3_600
            )
            let tokenFile = try directory.write(stale, to: "id-token")
            let oidc = OIDCSet(idpID: "ci", idTokenFile: tokenFile, scope: .project(id: Self.project), caFile: simulator.caFile.path)
            let error = await client.fetchError(cluster(simulator), .exchanged(.oidc(oidc, iamEndpoint: simulator.iamEndpoint)))
            #expect(error?.refusesCredentialSet == true)
            #expect(
                error?.description.hasPrefix(
                    #"cluster "prod": IAM refused credential set "default" a federated token for identity provider ci (HTTP 401;"#
                ) == true,
                "\(String(describing: error))"
            )
            #expect(error?.description.contains(stale) == false)
        }
    }
}
