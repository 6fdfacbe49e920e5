import Foundation
import Testing
import WatchList

@testable import CCE

/// No secret in any error, even when the server echoes what it received.
@Suite struct SecretLeakTests {
    /// A server that echoes everything it received, headers and body, into its error bodies and `X-Request-Id`.
    static func echo(_ request: TestServer.Request) -> TestServer.Reply {
        let received =
            request.headers.map { "\($0.name)=\($0.value)" }.joined(separator: " ") + " " + String(decoding: request.body, as: UTF8.self)
        let echoed = received.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        if request.uri.hasPrefix("/v3/auth/tokens") {
            return .json(
                401,
                #"{"error":{"code":401,"message":"\#(echoed)","title":"Unauthorized"}}"#,
                headers: [("X-Request-Id", String(echoed.prefix(100)))]
            )
        }
        return .json(
            401,
            #"{"error_code":"APIGW.0301","error_msg":"Get secretKey failed,\#(echoed),err:ak not exist","request_id":"\#(echoed)"}"#
        )
    }

    @Test func errorsNeverHoldASecretWhateverTheServerEchoes() async throws {
        try await TestServer.run(reply: Self.echo) { server in
            let cluster = TestData.cluster(endpoint: server.url())
            let credentials: [ResolvedCredential] = [
                .accessKey(TestData.accessKeyCredential),
                .accessKey(TestData.temporaryCredential),
                .token(TestData.token),
                .password(
                    PasswordCredential(user: "alice", domain: "acme", password: TestData.password, iamEndpoint: URL(string: server.url()))
                ),
            ]
            var texts: [String] = []
            try await withClient(TestData.client()) { client in
                for credential in credentials {
                    let error = try #require(await client.fetchError(cluster, credential))
                    texts.append(error.description)
                    texts.append(String(reflecting: error))
                    dump(error, to: &texts[texts.count - 1])
                }
            }
            #expect(texts.count == 8)
            for text in texts {
                for secret in TestData.secrets {
                    #expect(!text.contains(secret), "\(text)")
                }
                #expect(text.contains("<redacted>"))
            }
        }
    }

    @Test func iamTokenEchoedByCCEIsRedactedToo() async throws {
        try await TestServer.run(reply: { request in
            request.uri.hasPrefix("/v3/auth/tokens")
                ? TestData.iamLoginAnswer()
                : .json(
                    403,
                    #"{"errorCode":"CCE.01403001","errorMessage":"token \#(TestData.iamToken) lacks cce:cluster:generateClientCredential"}"#
                )
        }) { server in
            let credential = ResolvedCredential.password(
                PasswordCredential(user: "alice", domain: "acme", password: TestData.password, iamEndpoint: URL(string: server.url()))
            )
            let error = try await withClient(TestData.client()) { client in
                await client.fetchError(TestData.cluster(endpoint: server.url()), credential)
            }
            #expect(error?.kind == .forbidden)
            #expect(error?.description.contains(TestData.iamToken) == false)
            #expect(error?.description.contains("token <redacted> lacks") == true)
        }
    }
}
