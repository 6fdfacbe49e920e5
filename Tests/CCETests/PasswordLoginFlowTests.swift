import Foundation
import Synchronization
import Testing

@testable import CCE

/// Password credentials end to end: one IAM login serves many calls, a refused cached token is renewed once.
@Suite struct PasswordLoginFlowTests {
    /// Answers IAM logins and cluster-cert calls on one server; `certificateStatuses` scripts the
    /// statuses of successive cert calls (200 once the list is used up).
    private final class Script: Sendable {
        private let statuses: Mutex<[Int]>
        let loginReply: TestServer.Reply
        let answer: [UInt8]

        init(certificateStatuses: [Int] = [], loginReply: TestServer.Reply = TestData.iamLoginAnswer()) throws {
            statuses = Mutex(certificateStatuses)
            self.loginReply = loginReply
            answer = try TestData.goodAnswer()
        }

        func reply(_ request: TestServer.Request) -> TestServer.Reply {
            if request.uri.hasPrefix("/v3/auth/tokens") { return loginReply }
            let status = statuses.withLock { $0.isEmpty ? 200 : $0.removeFirst() }
            return status == 200
                ? .answer(status: 200, body: answer)
                : .json(status, #"{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information: token expires"}"#)
        }
    }

    private func credential(_ server: TestServer) -> ResolvedCredential {
        .password(PasswordCredential(user: "alice", domain: "acme", password: TestData.password, iamEndpoint: URL(string: server.url())))
    }

    private func logins(_ server: TestServer) -> Int {
        server.requests.filter { $0.uri.hasPrefix("/v3/auth/tokens") }.count
    }

    @Test func oneLoginServesSeveralCallsWithItsToken() async throws {
        let script = try Script()
        try await TestServer.run(reply: script.reply) { server in
            try await withClient(TestData.client()) { client in
                for _ in 0..<3 {
                    _ = try await client.clusterCertificate(
                        for: TestData.cluster(endpoint: server.url()),
                        named: "iam",
                        using: credential(server)
                    )
                }
            }
            #expect(logins(server) == 1)
            let login = try #require(server.requests.first)
            #expect(login.method == .POST)
            #expect(JSONValue.parse(login.body)?["auth"]?["scope"]?["project"]?["id"] == .string(TestData.projectID))
            let calls = server.requests.dropFirst()
            #expect(calls.count == 3)
            #expect(calls.allSatisfy { $0.headers["X-Auth-Token"] == [TestData.iamToken] })
        }
    }

    @Test func cachedTokenRefusedWith401IsRenewedAndTheCallRetriedOnce() async throws {
        let script = try Script(certificateStatuses: [200, 401])
        try await TestServer.run(reply: script.reply) { server in
            try await withClient(TestData.client()) { client in
                let cluster = TestData.cluster(endpoint: server.url())
                _ = try await client.clusterCertificate(for: cluster, named: "iam", using: credential(server))
                _ = try await client.clusterCertificate(for: cluster, named: "iam", using: credential(server))
            }
            #expect(logins(server) == 2)
            #expect(server.requests.count == 5)
        }
    }

    @Test func freshTokenRefusedWith401IsNotRetried() async throws {
        let script = try Script(certificateStatuses: [401, 401])
        try await TestServer.run(reply: script.reply) { server in
            let error = try await withClient(TestData.client()) { client in
                await client.fetchError(TestData.cluster(endpoint: server.url()), credential(server))
            }
            #expect(error?.kind == .authentication)
            #expect(error?.service == .cce)
            #expect(server.requests.count == 2)
        }
    }

    @Test func refusedLoginIsReportedAsIAMs() async throws {
        let refusal = TestServer.Reply.json(
            401,
            #"{"error":{"code":401,"message":"The username or password is wrong.","title":"Unauthorized"}}"#,
            headers: [("X-Request-Id", "iam-1")]
        )
        let script = try Script(loginReply: refusal)
        try await TestServer.run(reply: script.reply) { server in
            let error = try await withClient(TestData.client()) { client in
                await client.fetchError(TestData.cluster(endpoint: server.url()), credential(server))
            }
            #expect(
                error?.description
                    == #"cluster "prod": IAM refused the password login of credential set "default" (HTTP 401; 401: Unauthorized: The username or password is wrong.; request id iam-1)."#
            )
            #expect(server.requests.count == 1)
        }
    }

    @Test func loginAnswerWithoutTokenIsInvalid() async throws {
        let script = try Script(loginReply: .json(201, #"{"token":{"expires_at":"2030-01-01T00:00:00.000000Z"}}"#))
        try await TestServer.run(reply: script.reply) { server in
            let error = try await withClient(TestData.client()) { client in
                await client.fetchError(TestData.cluster(endpoint: server.url()), credential(server))
            }
            #expect(error?.kind == .invalidResponse(reason: "it has no X-Subject-Token header"))
            #expect(error?.service == .iam)
        }
    }
}
