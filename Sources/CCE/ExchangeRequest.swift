import CCESigning
import NIOHTTP1
import WatchList

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The requests that obtain temporary credentials from IAM, STS and the ECS metadata service,
/// and the reading of their answers. Pure: values in, requests and credentials out.
enum ExchangeRequest {
    /// Legacy IAM's `CreateTemporaryAccessKeyByAgency`: `POST /v3.0/OS-CREDENTIAL/securitytokens`
    /// with `assume_role`, authenticated with the source's token or signed with its keys.
    static func assumeAgency(_ agency: AgencySet, endpoint: URL, authentication: RequestAuthentication, date: Date) throws(ServiceFailure)
        -> PreparedRequest
    {
        var assumeRole = Bodies.AssumeRole(agency_name: agency.agencyName, duration_seconds: Int(agency.duration.components.seconds))
        switch agency.account {
        case .name(let name): assumeRole.domain_name = name
        case .id(let id): assumeRole.domain_id = id
        }
        assumeRole.session_user = agency.sessionUser.map(Bodies.Named.init)
        let body = Bodies.Auth(auth: .init(identity: .init(methods: ["assume_role"], assume_role: assumeRole)))
        return try make(.POST, "/v3.0/OS-CREDENTIAL/securitytokens", at: endpoint, body: body, authentication: authentication, date: date)
    }

    /// STS `AssumeAgency`: `POST /v5/agencies/assume`, signed with the source's keys.
    static func assumeAgencySTS(_ agency: AgencySet, domainID: String, endpoint: URL, key: AccessKeyCredential, date: Date)
        throws(ServiceFailure) -> PreparedRequest
    {
        let body = Bodies.AssumeAgency(
            agency_urn: "iam::\(domainID):agency:\(agency.agencyName)",
            agency_session_name: agency.sessionUser ?? AgencySet.defaultSessionName,
            duration_seconds: Int(agency.duration.components.seconds)
        )
        return try make(.POST, "/v5/agencies/assume", at: endpoint, body: body, authentication: .signed(key), date: date)
    }

    /// IAM's `CreateTemporaryAccessKeyByToken`: keys for a token, where a call must be signed.
    static func keysForToken(_ token: String, seconds: Int, endpoint: URL, date: Date) throws(ServiceFailure) -> PreparedRequest {
        let body = Bodies.Auth(auth: .init(identity: .init(methods: ["token"], token: .init(id: token, duration_seconds: seconds))))
        return try make(.POST, "/v3.0/OS-CREDENTIAL/securitytokens", at: endpoint, body: body, authentication: .token(token), date: date)
    }

    /// IAM's `CreateTokenWithIdToken`: `POST /v3.0/OS-AUTH/id-token/tokens` with `X-Idp-Id`.
    static func federatedToken(idToken: String, oidc: OIDCSet, endpoint: URL, date: Date) throws(ServiceFailure) -> PreparedRequest {
        let scope: Bodies.Scope =
            switch oidc.scope {
            case .project(let id): Bodies.Scope(project: .init(id: id))
            case .domain(let id): Bodies.Scope(domain: .init(id: id))
            }
        let body = Bodies.IDTokenAuth(auth: .init(id_token: .init(id: idToken), scope: scope))
        var request = try make(.POST, "/v3.0/OS-AUTH/id-token/tokens", at: endpoint, body: body, authentication: nil, date: date)
        request.headers.add(name: "X-Idp-Id", value: oidc.idpID)
        return request
    }

    /// The ECS metadata service's `GET /openstack/latest/securitykey`.
    static func metadataSecurityKey(endpoint: URL) throws(ServiceFailure) -> PreparedRequest {
        let url = try ServiceEndpoint.url(ServiceEndpoint.checked(endpoint), appending: MetadataService.securityKeyPath)
        var headers = HTTPHeaders()
        headers.add(name: "User-Agent", value: CCEClient.userAgent)
        return PreparedRequest(method: .GET, url: url, headers: headers, body: [])
    }

    /// A JSON request to IAM or STS: signed without `X-Project-Id` (both are global services),
    /// with a token, or (for the id-token exchange) without credentials.
    private static func make(
        _ method: HTTPMethod,
        _ path: String,
        at endpoint: URL,
        body: some Encodable,
        authentication: RequestAuthentication?,
        date: Date
    ) throws(ServiceFailure) -> PreparedRequest {
        let url = try ServiceEndpoint.url(ServiceEndpoint.checked(endpoint), appending: path)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Structures of strings and integers always encode.
        let bytes = (try? encoder.encode(body)).map(Array.init) ?? []
        let headers: [SignableRequest.Header] = [
            .init(name: "Content-Type", value: "application/json;charset=UTF-8"),
            .init(name: "User-Agent", value: CCEClient.userAgent),
        ]
        switch authentication {
        case .signed(var key)?:
            key.projectID = nil
            guard let unsigned = SignableRequest(method: method.rawValue, url: url, headers: headers, body: bytes) else {
                throw ServiceFailure(.configuration(reason: "the endpoint \(endpoint.absoluteString) has no host"))
            }
            let signed = RequestSigner(credential: key).sign(unsigned, at: date).request
            return PreparedRequest(method: method, url: url, headers: HTTPHeaders(signed.headers.map { ($0.name, $0.value) }), body: bytes)
        case .token(let token)?:
            return PreparedRequest(
                method: method,
                url: url,
                headers: HTTPHeaders(headers.map { ($0.name, $0.value) } + [("X-Auth-Token", token)]),
                body: bytes
            )
        case nil:
            return PreparedRequest(method: method, url: url, headers: HTTPHeaders(headers.map { ($0.name, $0.value) }), body: bytes)
        }
    }

    // MARK: Answers

    /// IAM's and the metadata service's `{"credential": {"access", "secret", "securitytoken", "expires_at"}}`.
    static func iamKeys(_ answer: HTTPAnswer) throws(ServiceFailure) -> TemporaryCredential {
        guard let credential = JSONValue.parse(answer.body)?["credential"] else {
            throw ServiceFailure(.invalidResponse(reason: "its body has no credential object"))
        }
        return try keys(credential, access: "access", secret: "secret", token: "securitytoken", expiry: "expires_at")
    }

    /// STS's `{"credentials": {"access_key_id", "secret_access_key", "security_token", "expiration"}}`.
    static func stsKeys(_ answer: HTTPAnswer) throws(ServiceFailure) -> TemporaryCredential {
        guard let credentials = JSONValue.parse(answer.body)?["credentials"] else {
            throw ServiceFailure(.invalidResponse(reason: "its body has no credentials object"))
        }
        return try keys(credentials, access: "access_key_id", secret: "secret_access_key", token: "security_token", expiry: "expiration")
    }

    private static func keys(_ object: JSONValue, access: String, secret: String, token: String, expiry: String) throws(ServiceFailure)
        -> TemporaryCredential
    {
        guard let accessKey = object[access]?.string?.nonEmpty, let secretKey = object[secret]?.string?.nonEmpty,
            let securityToken = object[token]?.string?.nonEmpty
        else {
            throw ServiceFailure(.invalidResponse(reason: "its credentials lack \(access), \(secret) or \(token)"))
        }
        guard let text = object[expiry]?.string, let expiresAt = PasswordLogin.expiry(text) else {
            throw ServiceFailure(.invalidResponse(reason: "its credentials have no \(expiry) in ISO 8601 UTC"))
        }
        let key = AccessKeyCredential(accessKey: accessKey, secretKey: secretKey, securityToken: securityToken)
        return TemporaryCredential(authentication: .accessKey(key), expiresAt: expiresAt)
    }

    /// The request bodies, named as the APIs spell their fields.
    private enum Bodies {
        struct Auth: Encodable {
            var auth: Inner
            struct Inner: Encodable {
                var identity: Identity
            }
        }
        struct Identity: Encodable {
            var methods: [String]
            var assume_role: AssumeRole?
            var token: Token?
        }
        struct AssumeRole: Encodable {
            var agency_name: String
            var domain_id: String?
            var domain_name: String?
            var duration_seconds: Int
            var session_user: Named?
        }
        struct Token: Encodable {
            var id: String
            var duration_seconds: Int
        }
        struct Named: Encodable {
            var name: String
        }
        struct ByID: Encodable {
            var id: String
        }
        struct AssumeAgency: Encodable {
            var agency_urn: String
            var agency_session_name: String
            var duration_seconds: Int
        }
        struct IDTokenAuth: Encodable {
            var auth: Inner
            struct Inner: Encodable {
                var id_token: ByID
                var scope: Scope
            }
        }
        struct Scope: Encodable {
            var project: ByID?
            var domain: ByID?
        }
    }
}
