import AsyncHTTPClient
import CCESimulator
import Foundation
import Kubeconfig
import NIOCore
import NIOSSL
import Testing

/// Each cluster's mTLS API server: the answer's client certificate opens it, nothing else does.
@Suite struct APIServerTests {
    /// The PEM texts of an answer.
    struct AnswerPEMs {
        var authority: String
        var certificate: String
        var key: String
        var credentials: CCECredentials

        init(_ answer: Answer) throws {
            credentials = try CCECredentials(parsing: answer.body)
            func pem(_ base64: String?) throws -> String {
                let text = try #require(base64)
                return String(decoding: try #require(Data(base64Encoded: text)), as: UTF8.self)
            }
            authority = try pem(credentials.endpoints[0].certificateAuthorityData)
            certificate = try pem(credentials.clientCertificateData)
            key = try pem(credentials.clientKeyData)
        }
    }

    /// `GET /version` with a client that trusts `authority` (or verifies nothing) and presents
    /// `certificate` and `key` when given; returns the body.
    ///
    /// A refused handshake is retried by AsyncHTTPClient until the deadline, so tests that
    /// expect a refusal pass a short `timeout`.
    private static func version(
        _ url: URL,
        trusting authority: String?,
        certificate: String? = nil,
        key: String? = nil,
        timeout: TimeAmount = .seconds(120)
    ) async throws -> [String: any Sendable] {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let authority {
            tls.trustRoots = .certificates([try NIOSSLCertificate(bytes: Array(authority.utf8), format: .pem)])
        } else {
            tls.certificateVerification = .none
        }
        if let certificate, let key {
            tls.certificateChain = [.certificate(try NIOSSLCertificate(bytes: Array(certificate.utf8), format: .pem))]
            tls.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: Array(key.utf8), format: .pem))
        }
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: .init(tlsConfiguration: tls))
        do {
            let response = try await client.execute(
                HTTPClientRequest(url: url.appendingPathComponent("version").absoluteString),
                timeout: timeout
            )
            let body = try await response.body.collect(upTo: 1 << 16)
            try await client.shutdown()
            #expect(response.status == .ok)
            return try #require(try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: any Sendable])
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    @Test func clientCertificateFromTheAnswerOpensBothEndpoints() async throws {
        try await SimulatorHarness.with { harness in
            let pems = try AnswerPEMs(try await harness.signed(SimulatorHarness.certPath(TestData.externalCluster)))
            let servers = try #require(harness.simulator.apiServers[TestData.externalCluster])

            let internalVersion = try await Self.version(
                servers.internal,
                trusting: pems.authority,
                certificate: pems.certificate,
                key: pems.key
            )
            #expect(internalVersion["gitVersion"] as? String == "v1.31.1")
            #expect(internalVersion["major"] as? String == "1")
            let external = try await Self.version(
                try #require(servers.external),
                trusting: nil,
                certificate: pems.certificate,
                key: pems.key
            )
            #expect(external["minor"] as? String == "31")
        }
    }

    @Test func externalEndpointFailsVerificationLikeAnEIPDoes() async throws {
        try await SimulatorHarness.with { harness in
            let pems = try AnswerPEMs(try await harness.signed(SimulatorHarness.certPath(TestData.externalCluster)))
            let external = try #require(harness.simulator.apiServers[TestData.externalCluster]?.external)
            await #expect(throws: (any Error).self) {
                try await Self.version(
                    external,
                    trusting: pems.authority,
                    certificate: pems.certificate,
                    key: pems.key,
                    timeout: .seconds(2)
                )
            }
        }
    }

    @Test func connectionWithoutClientCertificateIsRefused() async throws {
        try await SimulatorHarness.with { harness in
            let pems = try AnswerPEMs(try await harness.signed(SimulatorHarness.certPath(TestData.internalCluster)))
            let server = try #require(harness.simulator.apiServers[TestData.internalCluster]).internal
            await #expect(throws: (any Error).self) { try await Self.version(server, trusting: pems.authority, timeout: .seconds(2)) }
        }
    }

    @Test func certificateOfAnotherClusterIsRefused() async throws {
        try await SimulatorHarness.with { harness in
            let own = try AnswerPEMs(try await harness.signed(SimulatorHarness.certPath(TestData.internalCluster)))
            let other = try AnswerPEMs(try await harness.signed(SimulatorHarness.certPath(TestData.externalCluster)))
            let server = try #require(harness.simulator.apiServers[TestData.internalCluster]).internal
            await #expect(throws: (any Error).self) {
                try await Self.version(
                    server,
                    trusting: own.authority,
                    certificate: other.certificate,
                    key: other.key,
                    timeout: .seconds(2)
                )
            }
            _ = try await Self.version(server, trusting: own.authority, certificate: own.certificate, key: own.key)
        }
    }

    @Test func expiredClientCertificateIsRefused() async throws {
        var configuration = TestData.configuration
        configuration.clusters[3].certificateLifetime = .seconds(1)
        try await SimulatorHarness.with(configuration) { harness in
            let pems = try AnswerPEMs(try await harness.signed(SimulatorHarness.certPath(TestData.shortLivedCluster)))
            #expect(pems.credentials.clientCertificate.lifetime == 1)
            let server = try #require(harness.simulator.apiServers[TestData.shortLivedCluster]).internal
            try await Task.sleep(for: .seconds(2))
            await #expect(throws: (any Error).self) {
                try await Self.version(server, trusting: pems.authority, certificate: pems.certificate, key: pems.key, timeout: .seconds(2))
            }
        }
    }

    @Test(.enabled(if: Programs.kubectl != nil, "kubectl is not installed"))
    func kubectlReadsTheAnswerAsAKubeconfigAndGetsTheVersion() async throws {
        let kubectl = try #require(Programs.kubectl)
        try await SimulatorHarness.with { harness in
            let answer = try await harness.signed(SimulatorHarness.certPath(TestData.externalCluster))
            let kubeconfig = harness.directory.appendingPathComponent("answer.json")
            try Data(answer.body).write(to: kubeconfig)
            for context in ["internal", "external"] {
                let runner = CommandRunner(home: harness.directory.path)
                let result = try await offload {
                    try runner.run(kubectl, ["--kubeconfig", kubeconfig.path, "--context", context, "get", "--raw", "/version"])
                }
                #expect(result.status == 0, "\(context): \(result.standardError)")
                #expect(result.standardOutput.contains(#""gitVersion":"v1.31.1""#), "\(context): \(result.standardOutput)")
            }
        }
    }
}
