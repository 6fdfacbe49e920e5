import CCESigning
import Foundation
import NIOHTTP1
import Testing
import WatchList

@testable import CCE

/// The cluster-cert request: method, path per `api`/`type`, body, and headers that a verifier accepts.
@Suite struct RequestBuildingTests {
    private let date = Date(timeIntervalSince1970: 1_704_067_200)  // 2024-01-01T00:00:00Z
    private let endpoint = URL(string: "https://cce.cn-north-4.myhuaweicloud.com")!

    private func request(_ cluster: WatchedCluster, _ authentication: RequestAuthentication) throws -> PreparedRequest {
        try ClusterCertRequest.make(for: cluster, endpoint: endpoint, authentication: authentication, date: date)
    }

    /// The request as the server sees it, for `SignatureVerifier`.
    private func received(_ request: PreparedRequest) -> SignableRequest {
        SignableRequest(
            method: request.method.rawValue,
            host: request.headers.first(name: "Host") ?? "",
            target: request.url.path(percentEncoded: true),
            headers: request.headers.map { SignableRequest.Header(name: $0.name, value: $0.value) },
            body: request.body
        )
    }

    @Test func postCarriesTheDurationInCompactJSON() throws {
        let prepared = try request(TestData.cluster(endpoint: endpoint.absoluteString, durationDays: -1), .token("t"))
        #expect(prepared.method == .POST)
        #expect(
            prepared.url.absoluteString
                == "https://cce.cn-north-4.myhuaweicloud.com/api/v3/projects/\(TestData.projectID)/clusters/\(TestData.clusterID)/clustercert"
        )
        #expect(prepared.body == Array(#"{"duration":-1}"#.utf8))
        #expect(prepared.headers["Content-Type"] == ["application/json"])
    }

    @Test func deprecatedGetHasNoBody() throws {
        let prepared = try request(TestData.cluster(endpoint: endpoint.absoluteString, api: .get), .token("t"))
        #expect(prepared.method == .GET)
        #expect(prepared.body.isEmpty)
        #expect(prepared.url.path == "/api/v3/projects/\(TestData.projectID)/clusters/\(TestData.clusterID)/clustercert")
    }

    @Test func autopilotUsesItsOwnPrefix() throws {
        let prepared = try request(TestData.cluster(endpoint: endpoint.absoluteString, type: .autopilot), .token("t"))
        #expect(prepared.url.path == "/autopilot/v3/projects/\(TestData.projectID)/clusters/\(TestData.clusterID)/clustercert")
    }

    @Test func endpointWithTrailingSlashAndPortIsJoinedCleanly() throws {
        let cluster = TestData.cluster(endpoint: "http://127.0.0.1:18080/")
        let prepared = try ClusterCertRequest.make(
            for: cluster,
            endpoint: try #require(cluster.endpoint),
            authentication: .token("t"),
            date: date
        )
        #expect(prepared.url.absoluteString.hasPrefix("http://127.0.0.1:18080/api/v3/projects/"))
    }

    @Test func signedRequestIsAcceptedByTheVerifierWithTheClustersProject() throws {
        var foreignProject = TestData.accessKeyCredential
        foreignProject.projectID = "ffffffffffffffffffffffffffffffff"
        let prepared = try request(TestData.cluster(endpoint: endpoint.absoluteString), .signed(foreignProject))
        #expect(prepared.headers["X-Project-Id"] == [TestData.projectID])
        #expect(prepared.headers["X-Sdk-Date"] == ["20240101T000000Z"])
        #expect(prepared.headers["Host"] == ["cce.cn-north-4.myhuaweicloud.com"])
        #expect(prepared.headers["X-Auth-Token"].isEmpty)
        let authorization = try SignatureVerifier().verify(received(prepared), secretKey: TestData.secretKey, now: date)
        #expect(authorization.signedHeaders == ["content-type", "host", "user-agent", "x-project-id", "x-sdk-date"])
    }

    @Test func temporaryKeySignsItsSecurityToken() throws {
        let prepared = try request(TestData.cluster(endpoint: endpoint.absoluteString), .signed(TestData.temporaryCredential))
        #expect(prepared.headers["X-Security-Token"] == [TestData.securityToken])
        let authorization = try SignatureVerifier().verify(received(prepared), secretKey: TestData.secretKey, now: date)
        #expect(authorization.signedHeaders.contains("x-security-token"))
    }

    @Test func signedHostKeepsAnExplicitPort() throws {
        let cluster = TestData.cluster(endpoint: "http://127.0.0.1:18080")
        let prepared = try ClusterCertRequest.make(
            for: cluster,
            endpoint: try #require(cluster.endpoint),
            authentication: .signed(TestData.accessKeyCredential),
            date: date
        )
        #expect(prepared.headers["Host"] == ["127.0.0.1:18080"])
        _ = try SignatureVerifier().verify(received(prepared), secretKey: TestData.secretKey, now: date)
    }

    @Test func tokenGoesInXAuthTokenWithoutSignature() throws {
        let prepared = try request(TestData.cluster(endpoint: endpoint.absoluteString), .token(TestData.token))
        #expect(prepared.headers["X-Auth-Token"] == [TestData.token])
        #expect(prepared.headers["Authorization"].isEmpty)
    }

    @Test(arguments: [
        "http://cce.example.invalid", "http://192.0.2.10:8080", "http://0127.0.0.1:8080", "ftp://127.0.0.1",
        "https://user:pw@cce.example.invalid",
    ])
    func endpointThatWouldExposeCredentialsIsRefusedBeforeAnyIO(text: String) throws {
        let url = try #require(URL(string: text))
        let failure = #expect(throws: ServiceFailure.self) {
            try ClusterCertRequest.make(
                for: TestData.cluster(endpoint: text),
                endpoint: url,
                authentication: .token(TestData.token),
                date: date
            )
        }
        guard case .configuration = failure?.kind else {
            Issue.record("expected a configuration failure, got \(String(describing: failure))")
            return
        }
    }

    @Test(arguments: [
        "http://127.0.0.1:8080", "http://127.9.9.9", "http://127.1:8080", "http://localhost:1", "http://[::1]:8080",
        "http://[0:0:0:0:0:0:0:1]:8080", "https://cce.example.invalid",
    ])
    func httpsAnywhereAndPlainHTTPOnLoopbackAreAllowed(text: String) throws {
        #expect(try ServiceEndpoint.checked(try #require(URL(string: text))).absoluteString == text)
    }
}
