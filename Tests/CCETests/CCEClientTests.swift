import CCESigning
import Foundation
import Kubeconfig
import NIOHTTP1
import Testing

@testable import CCE

/// The client against a plain-HTTP server on 127.0.0.1: answers validated, failures classified, limits kept.
@Suite struct CCEClientTests {
    @Test func goodAnswerIsReturnedValidatedAndItsSignatureVerifies() async throws {
        let answer = try TestData.goodAnswer()
        try await TestServer.run(reply: { _ in .answer(status: 200, headers: [("X-Request-Id", "ok-1")], body: answer) }) { server in
            let credentials = try await withClient(TestData.client()) { client in
                try await client.clusterCertificate(
                    for: TestData.cluster(endpoint: server.url()),
                    named: "default",
                    using: .accessKey(TestData.accessKeyCredential)
                )
            }
            #expect(credentials.endpoints.map(\.name) == ["internal", "external"])

            let request = try #require(server.requests.first)
            #expect(request.method == .POST)
            #expect(request.uri == "/api/v3/projects/\(TestData.projectID)/clusters/\(TestData.clusterID)/clustercert")
            #expect(request.body == Array(#"{"duration":30}"#.utf8))
            #expect(request.headers["X-Project-Id"] == [TestData.projectID])
            let received = SignableRequest(
                method: request.method.rawValue,
                host: request.headers.first(name: "Host") ?? "",
                target: request.uri,
                headers: request.headers.map { SignableRequest.Header(name: $0.name, value: $0.value) },
                body: request.body
            )
            _ = try SignatureVerifier().verify(received, secretKey: TestData.secretKey, now: Date())
        }
    }

    @Test(arguments: [200, 201, 202, 203])
    func anyTwoHundredIsSuccess(status: Int) async throws {
        let answer = try TestData.goodAnswer()
        try await TestServer.run(reply: { _ in .answer(status: status, body: answer) }) { server in
            let credentials = try await withClient(TestData.client()) { client in
                try await client.clusterCertificate(
                    for: TestData.cluster(endpoint: server.url()),
                    named: "default",
                    using: .token(TestData.token)
                )
            }
            #expect(credentials.endpoints.map(\.name) == ["internal", "external"])
            #expect(credentials.clientCertificate == (try CCECredentials(parsing: answer)).clientCertificate)
            #expect(server.requests.count == 1)
        }
    }

    @Test func temporaryKeySendsItsSecurityTokenAndAStaticTokenItsHeader() async throws {
        let answer = try TestData.goodAnswer()
        try await TestServer.run(reply: { _ in .answer(status: 200, body: answer) }) { server in
            try await withClient(TestData.client()) { client in
                let cluster = TestData.cluster(endpoint: server.url())
                _ = try await client.clusterCertificate(for: cluster, named: "temporary", using: .accessKey(TestData.temporaryCredential))
                _ = try await client.clusterCertificate(for: cluster, named: "token", using: .token(TestData.token))
            }
            let requests = server.requests
            #expect(requests.count == 2)
            #expect(requests.first?.headers["X-Security-Token"] == [TestData.securityToken])
            #expect(requests.first?.headers.first(name: "Authorization")?.contains("x-security-token") == true)
            #expect(requests.last?.headers["X-Auth-Token"] == [TestData.token])
            #expect(requests.last?.headers["Authorization"].isEmpty == true)
        }
    }

    @Test func deprecatedGetAndAutopilotReachTheirPaths() async throws {
        let answer = try TestData.goodAnswer()
        try await TestServer.run(reply: { _ in .answer(status: 200, body: answer) }) { server in
            try await withClient(TestData.client()) { client in
                _ = try await client.clusterCertificate(
                    for: TestData.cluster(endpoint: server.url(), api: .get),
                    named: "default",
                    using: .token(TestData.token)
                )
                _ = try await client.clusterCertificate(
                    for: TestData.cluster(endpoint: server.url(), type: .autopilot),
                    named: "default",
                    using: .token(TestData.token)
                )
            }
            let requests = server.requests
            #expect(requests.map(\.method) == [.GET, .POST])
            #expect(requests.first?.body.isEmpty == true)
            #expect(requests.last?.uri.hasPrefix("/autopilot/v3/projects/") == true)
        }
    }

    @Test func regionEndpointVariableRedirectsTheCall() async throws {
        let answer = try TestData.goodAnswer()
        try await TestServer.run(reply: { _ in .answer(status: 200, body: answer) }) { server in
            var cluster = TestData.cluster(endpoint: server.url())
            cluster.endpoint = nil
            let client = CCEClient(configuration: .init(environment: ["HUAWEICLOUD_SDK_REGION_CCE_CN_NORTH_4": server.url()]))
            _ = try await withClient(client) { client in
                try await client.clusterCertificate(for: cluster, named: "default", using: .token(TestData.token))
            }
            #expect(server.requests.count == 1)
        }
    }

    @Test(
        arguments: [
            (
                401, [],
                #"{"error_msg":"Incorrect IAM authentication information: verify aksk signature fail","error_code":"APIGW.0301","request_id":"gw"}"#,
                CCEError.Kind.authentication
            ),
            (403, [], #"{"errorCode":"CCE.01403001","errorMessage":"Forbidden."}"#, .forbidden),
            (404, [], #"{"errorCode":"CCE.01404001","errorMessage":"Resource not found."}"#, .notFound),
            (
                429, [("Retry-After", "7")], #"{"error_code":"APIGW.0308","error_msg":"The throttling threshold has been reached"}"#,
                .throttled(retryAfter: .seconds(7))
            ),
            (500, [], #"{"errorCode":"CCE.01500001","errorMessage":"Internal error."}"#, .server(status: 500)),
            (503, [], "", .server(status: 503)),
            (400, [], #"{"errorCode":"CCE.01400001","errorMessage":"Invalid request."}"#, .rejected(status: 400)),
        ] as [(Int, [(String, String)], String, CCEError.Kind)]
    )
    func errorStatusIsClassifiedWithItsRequestID(status: Int, headers: [(String, String)], body: String, kind: CCEError.Kind) async throws {
        let requestID = "req-\(status)"
        try await TestServer.run(reply: { _ in .json(status, body, headers: headers + [("X-Request-Id", requestID)]) }) { server in
            let error = try await withClient(TestData.client()) { client in
                await client.fetchError(TestData.cluster(endpoint: server.url()))
            }
            #expect(error?.kind == kind)
            #expect(error?.service == .cce)
            #expect(error?.requestID == requestID)
            #expect(error?.description.hasPrefix(#"cluster "prod": "#) == true)
            #expect(error?.description.contains("request id \(requestID)") == true)
        }
    }

    @Test(arguments: [
        ("invalid-json.json", "the answer is not valid JSON"),
        ("wrong-shape.json", "clusters must be a list"),
        ("bad-base64.json", "client-certificate-data is not valid base64"),
        ("not-pem.json", "does not decode to a PEM certificate"),
        ("http-server.json", "is not an https:// URL"),
        ("no-users.json", "users is empty"),
    ])
    func invalidAnswerIsRefusedWhole(fixture: String, reason: String) async throws {
        let body = try Fixtures.bytes("Tests/Fixtures/cce/bad/\(fixture)")
        try await TestServer.run(reply: { _ in .answer(status: 200, headers: [("X-Request-Id", "bad-1")], body: body) }) { server in
            let error = try await withClient(TestData.client()) { client in
                await client.fetchError(TestData.cluster(endpoint: server.url()))
            }
            guard case .invalidResponse(let text) = error?.kind else {
                Issue.record("expected an invalid response, got \(String(describing: error))")
                return
            }
            #expect(text.contains(reason))
            #expect(error?.requestID == "bad-1")
        }
    }

    @Test func expiredClientCertificateIsRefused() async throws {
        let answer = try TestData.goodAnswer()
        try await TestServer.run(reply: { _ in .answer(status: 200, body: answer) }) { server in
            let in2040 = Date(timeIntervalSince1970: 2_208_988_800)
            let error = try await withClient(TestData.client(now: { in2040 })) { client in
                await client.fetchError(TestData.cluster(endpoint: server.url()), .token(TestData.token))
            }
            #expect(error?.kind == .invalidResponse(reason: "its client certificate expired at 2036-01-01T00:00:00Z"))
        }
    }

    @Test func truncatedBodyIsRefused() async throws {
        let answer = try TestData.goodAnswer()
        try await TestServer.run(reply: { _ in .truncated(declaredLength: answer.count, body: Array(answer.prefix(answer.count / 2))) }) {
            server in
            let error = try await withClient(TestData.client()) { client in
                await client.fetchError(TestData.cluster(endpoint: server.url()))
            }
            guard case .invalidResponse(let reason) = error?.kind else {
                Issue.record("expected an invalid response, got \(String(describing: error))")
                return
            }
            #expect(reason.hasPrefix("the answer was cut short"))
        }
    }

    @Test func bodyDeclaredLargerThanTheCapIsRefusedUnread() async throws {
        let huge = [UInt8](repeating: UInt8(ascii: " "), count: CCEClient.maximumAnswerSize + 1)
        try await TestServer.run(reply: { _ in .answer(status: 200, body: huge) }) { server in
            let error = try await withClient(TestData.client()) { client in
                await client.fetchError(TestData.cluster(endpoint: server.url()))
            }
            #expect(error?.kind == .invalidResponse(reason: "the answer is larger than the 1024 KiB limit"))
        }
    }

    @Test func streamedBodyIsCutAtTheCapAndTheConnectionClosed() async throws {
        let total = 512 << 20
        try await TestServer.run(reply: { _ in .stream(total: total, chunk: 64 << 10) }) { server in
            let error = try await withClient(TestData.client()) { client in
                await client.fetchError(TestData.cluster(endpoint: server.url()))
            }
            #expect(error?.kind == .invalidResponse(reason: "the answer is larger than the 1024 KiB limit"))
            // The kernel takes what fits in both sockets' buffers (up to 36 MiB with this machine's
            // tcp_rmem and tcp_wmem); everything past that is never sent, because the client hung up.
            try await Task.sleep(for: .milliseconds(200))
            #expect(server.streamAborted)
            #expect(server.streamedBytes < 64 << 20, "the server wrote \(server.streamedBytes) bytes")
        }
    }

    @Test(arguments: [TestServer.Reply.hang, .headThenHang])
    func silentServerIsCutByTheRequestTimeout(reply: TestServer.Reply) async throws {
        try await TestServer.run(reply: { _ in reply }) { server in
            let error = try await withClient(TestData.client(requestTimeout: .milliseconds(300))) { client in
                await client.fetchError(TestData.cluster(endpoint: server.url()))
            }
            #expect(error?.kind == .timeout(.request(.milliseconds(300))))
            #expect(error?.description == #"cluster "prod": CCE did not answer within 300ms."#)
        }
    }

    @Test func closedPortIsANetworkError() async throws {
        // async-http-client retries a refused connection until the connect timeout.
        let error = try await withClient(TestData.client(connectTimeout: .milliseconds(500))) { client in
            await client.fetchError(TestData.cluster(endpoint: "http://127.0.0.1:1"))
        }
        #expect(error?.kind == .network(reason: "the connection to 127.0.0.1:1 failed: Connection refused"))
    }

    @Test func plainHTTPToAnotherHostIsRefusedBeforeConnecting() async throws {
        let error = try await withClient(TestData.client()) { client in
            await client.fetchError(TestData.cluster(endpoint: "http://cce.example.invalid:8080"))
        }
        #expect(
            error?.kind
                == .configuration(
                    reason:
                        "the endpoint http://cce.example.invalid:8080 is plain http://, which is allowed only for loopback addresses; use https://"
                )
        )
    }

    @Test func shutDownClientRefusesNewRequests() async throws {
        let client = TestData.client()
        await client.shutdown()
        let error = await client.fetchError(TestData.cluster(endpoint: "http://127.0.0.1:1"))
        #expect(error?.kind == .configuration(reason: "the client has been shut down"))
    }
}
