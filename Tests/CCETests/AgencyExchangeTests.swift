import CCESigning
import Foundation
import Synchronization
import Testing
import WatchList

@testable import CCE

/// Agencies assumed over the wire (IAM's assume_role, STS's AssumeAgency), the ECS metadata
/// service, and how their temporary keys then sign the cluster-certificate call; the refusals
/// as one sentence naming the agency and its account.
@Suite struct AgencyExchangeTests {
    private static let temporaryAccessKey = "AKASSUMEDTEMPORARY01"
    private static let temporarySecretKey = "SKassumedTemporarySecretNeverPrinted"
    private static let temporaryToken = "STassumedSecurityTokenNeverPrinted"

    /// `{"credential": {...}}` as IAM and the metadata service answer, valid for `lifetime`.
    private static func keysAnswer(status: Int = 201, lifetime: TimeInterval = 3_600) -> TestServer.Reply {
        let expires = Date().addingTimeInterval(lifetime).formatted(.iso8601).dropLast() + ".587000Z"
        return .json(
            status,
            #"{"credential":{"access":"\#(temporaryAccessKey)","secret":"\#(temporarySecretKey)","securitytoken":"\#(temporaryToken)","expires_at":"\#(expires)"}}"#
        )
    }

    private final class Script: Sendable {
        let exchangeReply: TestServer.Reply
        let answer: [UInt8]

        init(exchangeReply: TestServer.Reply) throws {
            self.exchangeReply = exchangeReply
            answer = try TestData.goodAnswer()
        }

        func reply(_ request: TestServer.Request) -> TestServer.Reply {
            if request.uri.hasPrefix("/v3.0/") || request.uri.hasPrefix("/v5/") || request.uri.hasPrefix("/openstack/") {
                return exchangeReply
            }
            return .answer(status: 200, body: answer)
        }
    }

    private func agency(_ server: TestServer, api: AgencySet.API = .iam, account: AgencySet.Account = .name("acme-prod"))
        -> ResolvedCredential
    {
        let set = AgencySet(
            source: "base",
            agencyName: "cce-admin",
            account: account,
            duration: .seconds(900),
            sessionUser: "alice",
            api: api
        )
        return .exchanged(
            .agency(set, endpoint: URL(string: server.url())!, sourceSet: "base", source: .accessKey(TestData.accessKeyCredential))
        )
    }

    @Test func legacyAssumeRoleIsSignedWithTheSourceAndItsKeysSignTheCertificateCalls() async throws {
        let script = try Script(exchangeReply: Self.keysAnswer())
        try await TestServer.run(reply: script.reply) { server in
            try await withClient(TestData.client()) { client in
                for _ in 0..<3 {
                    _ = try await client.clusterCertificate(
                        for: TestData.cluster(endpoint: server.url()),
                        named: "ops",
                        using: agency(server)
                    )
                }
            }
            let exchange = try #require(server.requests.first)
            #expect(exchange.uri == "/v3.0/OS-CREDENTIAL/securitytokens")
            let body = try #require(JSONValue.parse(exchange.body)?["auth"]?["identity"])
            #expect(body["methods"] == .array([.string("assume_role")]))
            #expect(body["assume_role"]?["agency_name"] == .string("cce-admin"))
            #expect(body["assume_role"]?["domain_name"] == .string("acme-prod"))
            #expect(body["assume_role"]?["duration_seconds"] == .number(900))
            #expect(body["assume_role"]?["session_user"]?["name"] == .string("alice"))
            #expect(exchange.headers.first(name: "Authorization")?.contains("Access=\(TestData.accessKey)") == true)
            #expect(exchange.headers["X-Project-Id"].isEmpty)
            let calls = server.requests.dropFirst()
            #expect(calls.count == 3)
            #expect(calls.allSatisfy { $0.headers.first(name: "Authorization")?.contains("Access=\(Self.temporaryAccessKey)") == true })
            #expect(calls.allSatisfy { $0.headers["X-Security-Token"] == [Self.temporaryToken] })
        }
    }

    @Test func stsAssumeAgencyNamesTheAgencyByItsURN() async throws {
        let expires = Date().addingTimeInterval(3_600).formatted(.iso8601)
        let answer = TestServer.Reply.json(
            200,
            #"{"credentials":{"access_key_id":"\#(Self.temporaryAccessKey)","secret_access_key":"\#(Self.temporarySecretKey)","security_token":"\#(Self.temporaryToken)","expiration":"\#(expires)"},"assumed_agency":{"id":"x","urn":"y"}}"#
        )
        let script = try Script(exchangeReply: answer)
        try await TestServer.run(reply: script.reply) { server in
            try await withClient(TestData.client()) { client in
                _ = try await client.clusterCertificate(
                    for: TestData.cluster(endpoint: server.url()),
                    named: "ops",
                    using: agency(server, api: .sts, account: .id("0a1b2c3d"))
                )
            }
            let exchange = try #require(server.requests.first)
            #expect(exchange.uri == "/v5/agencies/assume")
            let body = try #require(JSONValue.parse(exchange.body))
            #expect(body["agency_urn"] == .string("iam::0a1b2c3d:agency:cce-admin"))
            #expect(body["agency_session_name"] == .string("alice"))
            #expect(server.requests.last?.headers["X-Security-Token"] == [Self.temporaryToken])
        }
    }

    @Test(arguments: [403, 404])
    func refusedAgencyIsOneSentenceNamingTheAgencyAndTheAccount(status: Int) async throws {
        let refusal = TestServer.Reply.json(
            status,
            #"{"error":{"code":\#(status),"message":"You have no right to assume agency with \#(TestData.accessKey)","title":"Forbidden"}}"#
        )
        let script = try Script(exchangeReply: refusal)
        try await TestServer.run(reply: script.reply) { server in
            try await withClient(TestData.client()) { client in
                let error = try #require(await client.fetchError(TestData.cluster(endpoint: server.url()), agency(server)))
                #expect(error.refusesCredentialSet)
                #expect(
                    error.description.hasPrefix(
                        #"cluster "prod": IAM refused credential set "default" the temporary keys of agency "cce-admin" of account "acme-prod" (HTTP \#(status);"#
                    )
                )
                #expect(!error.description.contains(TestData.accessKey))
            }
        }
    }

    @Test func keptKeysRefusedWith401AreReplacedOnce() async throws {
        let statuses = Mutex([200, 401])
        let answer = try TestData.goodAnswer()
        try await TestServer.run(reply: { request in
            if request.uri.hasPrefix("/v3.0/") { return Self.keysAnswer() }
            let status = statuses.withLock { $0.isEmpty ? 200 : $0.removeFirst() }
            return status == 200
                ? .answer(status: 200, body: answer) : .json(401, #"{"error_code":"APIGW.0301","error_msg":"signature expired"}"#)
        }) { server in
            try await withClient(TestData.client()) { client in
                _ = try await client.clusterCertificate(for: TestData.cluster(endpoint: server.url()), named: "ops", using: agency(server))
                _ = try await client.clusterCertificate(for: TestData.cluster(endpoint: server.url()), named: "ops", using: agency(server))
            }
            #expect(server.requests.map { $0.uri.hasPrefix("/v3.0/") } == [true, false, false, true, false])
        }
    }

    @Test func metadataKeysAreReadFromTheSecurityKeyPath() async throws {
        let script = try Script(exchangeReply: Self.keysAnswer(status: 200))
        try await TestServer.run(reply: script.reply) { server in
            try await withClient(TestData.client()) { client in
                _ = try await client.clusterCertificate(
                    for: TestData.cluster(endpoint: server.url()),
                    named: "ecs",
                    using: .exchanged(.metadata(endpoint: URL(string: server.url())!))
                )
            }
            #expect(server.requests.first?.uri == "/openstack/latest/securitykey")
            #expect(server.requests.first?.method == .GET)
            #expect(server.requests.last?.headers["X-Security-Token"] == [Self.temporaryToken])
        }
    }

    @Test func oidcExchangesTheIdTokenFromItsFileThenAsksForKeys() async throws {
        let expires = Date().addingTimeInterval(3_600).formatted(.iso8601)
        let answer = try TestData.goodAnswer()
        try await TemporaryDirectory.with { directory in
            let tokenFile = try directory.write("eyJidToken.first\n", to: "id-token")
            try await TestServer.run(reply: { request in
                switch request.uri {
                case "/v3.0/OS-AUTH/id-token/tokens":
                    return .json(
                        201,
                        #"{"token":{"expires_at":"\#(expires)","methods":["mapped"]}}"#,
                        headers: [("X-Subject-Token", "MIIfederatedToken")]
                    )
                case "/v3.0/OS-CREDENTIAL/securitytokens": return Self.keysAnswer()
                default: return .answer(status: 200, body: answer)
                }
            }) { server in
                let oidc = OIDCSet(idpID: "github", idTokenFile: tokenFile, scope: .project(id: TestData.projectID))
                try await withClient(TestData.client()) { client in
                    _ = try await client.clusterCertificate(
                        for: TestData.cluster(endpoint: server.url()),
                        named: "ci",
                        using: .exchanged(.oidc(oidc, iamEndpoint: URL(string: server.url())!))
                    )
                }
                let federation = try #require(server.requests.first)
                #expect(federation.headers["X-Idp-Id"] == ["github"])
                #expect(JSONValue.parse(federation.body)?["auth"]?["id_token"]?["id"] == .string("eyJidToken.first"))
                #expect(JSONValue.parse(federation.body)?["auth"]?["scope"]?["project"]?["id"] == .string(TestData.projectID))
                let keys = server.requests[1]
                #expect(keys.headers["X-Auth-Token"] == ["MIIfederatedToken"])
                #expect(JSONValue.parse(keys.body)?["auth"]?["identity"]?["methods"] == .array([.string("token")]))
                #expect(server.requests.last?.headers["X-Security-Token"] == [Self.temporaryToken])
            }
        }
    }

    @Test func missingIdTokenFileIsALocalFailureOfTheSet() async throws {
        let oidc = OIDCSet(idpID: "github", idTokenFile: "/nonexistent/id-token", scope: .domain(id: "0a1b"))
        try await withClient(TestData.client()) { client in
            let error = try #require(
                await client.fetchError(
                    TestData.cluster(endpoint: "http://127.0.0.1:9"),
                    .exchanged(.oidc(oidc, iamEndpoint: URL(string: "http://127.0.0.1:9")!))
                )
            )
            #expect(error.kind == .local(reason: "the id token file /nonexistent/id-token does not exist"))
            #expect(!error.refusesCredentialSet)
            #expect(
                error.description == #"cluster "prod": credential set "default": the id token file /nonexistent/id-token does not exist."#
            )
        }
    }
}
