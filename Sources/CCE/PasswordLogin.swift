import NIOHTTP1

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// IAM's password login, `POST /v3/auth/tokens` scoped to one project.
enum PasswordLogin {
    /// The login request. The scope is the cluster's project by id, which also covers sub-projects;
    /// `nocatalog` drops the service catalog, the bulk of the answer, which is not needed.
    static func request(for credential: PasswordCredential, projectID: String, endpoint: URL) throws(ServiceFailure) -> PreparedRequest {
        try request(for: credential, scope: .init(id: projectID), endpoint: endpoint)
    }

    /// The login request scoped to the project named `projectName` (a region's main project is
    /// named like the region): how a password finds projects before it knows an id.
    static func request(for credential: PasswordCredential, projectName: String, endpoint: URL) throws(ServiceFailure) -> PreparedRequest {
        try request(for: credential, scope: .init(name: projectName), endpoint: endpoint)
    }

    /// The login request scoped to the user's account: the token an agency is assumed with,
    /// which belongs to no project.
    static func request(for credential: PasswordCredential, domainScopedAt endpoint: URL) throws(ServiceFailure) -> PreparedRequest {
        try request(for: credential, scope: .init(domain: .init(name: credential.domain)), endpoint: endpoint)
    }

    private static func request(for credential: PasswordCredential, scope: LoginBody.Project, endpoint: URL) throws(ServiceFailure)
        -> PreparedRequest
    {
        try request(for: credential, scope: .init(project: scope), endpoint: endpoint)
    }

    private static func request(for credential: PasswordCredential, scope: LoginBody.Scope, endpoint: URL) throws(ServiceFailure)
        -> PreparedRequest
    {
        let url = try ServiceEndpoint.url(ServiceEndpoint.checked(endpoint), appending: "/v3/auth/tokens?nocatalog=true")
        let body = LoginBody(
            auth: .init(
                identity: .init(
                    methods: ["password"],
                    password: .init(
                        user: .init(name: credential.user, password: credential.password, domain: .init(name: credential.domain))
                    )
                ),
                scope: scope
            )
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding strings and arrays of strings cannot fail.
        let bytes = (try? encoder.encode(body)).map(Array.init) ?? []
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json;charset=utf8")
        headers.add(name: "User-Agent", value: CCEClient.userAgent)
        return PreparedRequest(method: .POST, url: url, headers: headers, body: bytes)
    }

    /// The token of a successful login: the `X-Subject-Token` header, expiring at the body's `token.expires_at`.
    static func token(from answer: HTTPAnswer) throws(ServiceFailure) -> IAMToken {
        guard let value = answer.headers.first(name: "X-Subject-Token"), !value.isEmpty else {
            throw ServiceFailure(
                .invalidResponse(reason: "it has no X-Subject-Token header"),
                requestID: ServiceFailure.requestID(of: answer)
            )
        }
        guard let text = JSONValue.parse(answer.body)?["token"]?["expires_at"]?.string, let expiresAt = expiry(text) else {
            throw ServiceFailure(
                .invalidResponse(reason: "its body has no token.expires_at in ISO 8601 UTC"),
                requestID: ServiceFailure.requestID(of: answer)
            )
        }
        return IAMToken(value: value, expiresAt: expiresAt)
    }

    /// `2019-02-13T06:52:13.855000Z`: IAM writes microseconds, which are dropped (a token is not
    /// renewed to the second).
    static func expiry(_ text: String) -> Date? {
        var whole = Substring(text)
        if let dot = whole.firstIndex(of: "."), let zone = whole[dot...].firstIndex(where: { $0 == "Z" || $0 == "+" || $0 == "-" }) {
            whole = whole[..<dot] + whole[zone...]
        }
        return try? Date(String(whole), strategy: .iso8601)
    }

    /// `{"auth": {"identity": {...}, "scope": {"project": {"id": ...}}}}`.
    private struct LoginBody: Encodable {
        struct Auth: Encodable {
            var identity: Identity
            var scope: Scope
        }
        struct Identity: Encodable {
            var methods: [String]
            var password: Password
        }
        struct Password: Encodable {
            var user: User
        }
        struct User: Encodable {
            var name: String
            var password: String
            var domain: Named
        }
        struct Named: Encodable {
            var name: String
        }
        /// A project, or (for a token that belongs to no project) the account.
        struct Scope: Encodable {
            var project: Project?
            var domain: Named?
        }
        /// By id or by name; the other is left out.
        struct Project: Encodable {
            var id: String?
            var name: String?
        }

        var auth: Auth
    }
}
