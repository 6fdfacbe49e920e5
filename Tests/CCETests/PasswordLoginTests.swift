import Foundation
import NIOHTTP1
import Testing

@testable import CCE

/// IAM's password login: the project-scoped body, the token header and `expires_at`, the default endpoints.
@Suite struct PasswordLoginTests {
    private let credential = PasswordCredential(user: "alice", domain: "acme", password: #"pa"ss\word"#)

    @Test func bodyIsProjectScopedPasswordAuth() throws {
        let request = try PasswordLogin.request(
            for: credential,
            projectID: TestData.projectID,
            endpoint: URL(string: "https://iam.cn-north-4.myhuaweicloud.com/")!
        )
        #expect(request.method == .POST)
        #expect(request.url.absoluteString == "https://iam.cn-north-4.myhuaweicloud.com/v3/auth/tokens?nocatalog=true")
        #expect(request.headers["Content-Type"] == ["application/json;charset=utf8"])
        let body = try #require(JSONValue.parse(request.body))
        let auth = try #require(body["auth"])
        #expect(auth["identity"]?["methods"] == .array([.string("password")]))
        let user = try #require(auth["identity"]?["password"]?["user"])
        #expect(user["name"] == .string("alice"))
        #expect(user["password"] == .string(#"pa"ss\word"#))
        #expect(user["domain"]?["name"] == .string("acme"))
        #expect(auth["scope"] == .object(["project": .object(["id": .string(TestData.projectID)])]))
    }

    @Test func tokenComesFromTheHeaderAndExpiryFromTheBody() throws {
        let answer = HTTPAnswer(
            status: 201,
            headers: ["X-Subject-Token": TestData.iamToken],
            body: Array(#"{"token":{"expires_at":"2019-02-13T06:52:13.855000Z","issued_at":"2019-02-12T06:52:13.855000Z"}}"#.utf8)
        )
        let token = try PasswordLogin.token(from: answer)
        #expect(token.value == TestData.iamToken)
        #expect(token.expiresAt == Date(timeIntervalSince1970: 1_550_040_733))
        #expect(!"\(token)".contains(TestData.iamToken))
    }

    @Test(
        arguments: [
            (["X-Request-Id": "r1"], #"{"token":{"expires_at":"2019-02-13T06:52:13Z"}}"#, "it has no X-Subject-Token header"),
            (["X-Subject-Token": "t"], #"{"token":{}}"#, "its body has no token.expires_at in ISO 8601 UTC"),
            (["X-Subject-Token": "t"], #"{"token":{"expires_at":"tomorrow"}}"#, "its body has no token.expires_at in ISO 8601 UTC"),
        ] as [(HTTPHeaders, String, String)]
    )
    func incompleteLoginAnswerIsInvalid(headers: HTTPHeaders, body: String, reason: String) {
        let failure = #expect(throws: ServiceFailure.self) {
            try PasswordLogin.token(from: HTTPAnswer(status: 201, headers: headers, body: Array(body.utf8)))
        }
        #expect(failure?.kind == .invalidResponse(reason: reason))
    }

    @Test(
        arguments: [
            ("cn-north-4", "https://iam.cn-north-4.myhuaweicloud.com"),
            ("eu-west-101", "https://iam.eu-west-101.myhuaweicloud.eu"),
            (nil, "https://iam.myhuaweicloud.com"),
            ("Not A Region", "https://iam.myhuaweicloud.com"),
        ] as [(String?, String)]
    )
    func defaultEndpointIsTheRegionsOrTheGlobalOne(region: String?, endpoint: String) {
        #expect(IAMEndpoint.forRegion(region).absoluteString == endpoint)
    }
}
