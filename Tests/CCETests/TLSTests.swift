import Foundation
import Testing

@testable import CCE

/// HTTPS on 127.0.0.1 with a CA made for the run: trusted through `ca_file` only, also through a proxy.
@Suite struct TLSTests {
    @Test func serverSignedByTheClustersCAFileIsTrusted() async throws {
        let pki = try TestPKI()
        try await TemporaryDirectory.with { directory in
            let caFile = try directory.write(pki.caPEM, to: "ca.pem", mode: 0o644)
            let answer = try TestData.goodAnswer()
            try await TestServer.run(tls: pki.serverTLS, reply: { _ in .answer(status: 200, body: answer) }) { server in
                let credentials = try await withClient(TestData.client()) { client in
                    try await client.clusterCertificate(
                        for: TestData.cluster(endpoint: server.url(tls: true), caFile: caFile),
                        named: "default",
                        using: .token(TestData.token)
                    )
                }
                #expect(credentials.endpoints.count == 2)
            }
        }
    }

    @Test func serverOfAnUnknownCAIsRefused() async throws {
        let pki = try TestPKI()
        try await TestServer.run(tls: pki.serverTLS, reply: { _ in .answer(status: 200) }) { server in
            // async-http-client retries a failed handshake until the connect timeout, then reports
            // the handshake's error; two seconds leave a loaded machine time for the first one.
            let error = try await withClient(TestData.client(connectTimeout: .seconds(2))) { client in
                await client.fetchError(TestData.cluster(endpoint: server.url(tls: true)), .token(TestData.token))
            }
            guard case .network(let reason) = error?.kind else {
                Issue.record("expected a network error, got \(String(describing: error))")
                return
            }
            #expect(reason.contains("not trusted"), "\(reason)")
            #expect(server.requests.isEmpty)
        }
    }

    @Test(arguments: [nil, "not a certificate"] as [String?])
    func unusableCAFileIsAConfigurationError(content: String?) async throws {
        try await TemporaryDirectory.with { directory in
            let path = try content.map { try directory.write($0, to: "ca.pem") } ?? directory.path + "/absent.pem"
            let error = try await withClient(TestData.client()) { client in
                await client.fetchError(TestData.cluster(endpoint: "https://127.0.0.1:1", caFile: path), .token(TestData.token))
            }
            #expect(error?.kind == .configuration(reason: "the CA file \(path) cannot be read as PEM certificates"))
        }
    }

    @Test func httpsProxyTunnelsToTheEndpointWithoutResolvingIt() async throws {
        let host = "cce.cn-north-4.proxied.invalid"
        let pki = try TestPKI(dnsNames: [host])
        try await TemporaryDirectory.with { directory in
            let caFile = try directory.write(pki.caPEM, to: "ca.pem")
            let answer = try TestData.goodAnswer()
            try await TestServer.run(tls: pki.serverTLS, reply: { _ in .answer(status: 200, body: answer) }) { server in
                try await TestProxy.run(tunnellingTo: server.port) { proxy in
                    let settings = try ProxySettings(environment: [
                        "HTTPS_PROXY": "http://127.0.0.1:\(proxy.port)", "NO_PROXY": "localhost,.internal",
                    ])
                    let endpoint = "https://\(host)"
                    // Only a proxied request may go out: the name must never be looked up.
                    try #require(settings.proxy(for: try #require(URL(string: endpoint))) != nil)
                    _ = try await withClient(TestData.client(proxy: settings)) { client in
                        try await client.clusterCertificate(
                            for: TestData.cluster(endpoint: endpoint, caFile: caFile),
                            named: "default",
                            using: .accessKey(TestData.accessKeyCredential)
                        )
                    }
                    #expect(proxy.connectTargets == ["\(host):443"])
                    #expect(server.requests.first?.headers.first(name: "Host") == host)
                }
            }
        }
    }
}
