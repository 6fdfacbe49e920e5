import CCESigning
import Crypto

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Who made a request, once the gateway has accepted its credentials.
struct Principal: Sendable, Hashable {
    /// Which projects the credentials may act in.
    enum Scope: Sendable, Hashable {
        /// AK/SK signed with `X-Project-Id`, or a token scoped to a project.
        case project(String)
        /// A static token configured without a project.
        case anyProject
        /// AK/SK signed without `X-Project-Id`: enough for IAM, which needs no project, and for
        /// nothing in CCE.
        case noProject
    }

    /// Whose per-user rate limit the request counts against: the access key, or the user a
    /// token was issued to (each static token is a user of its own). Never shown to anyone.
    var user: String
    var scope: Scope
    /// The account (IAM's domain) the credentials act in.
    var account: String
    /// Whether the credentials may assume agencies (the Agent Operator role, or an agency
    /// session allowed to chain).
    var mayAssumeAgencies = false
    /// Whether the request was signed with a temporary key and its `X-Security-Token`; STS then
    /// limits `AssumeAgency` to 3 600 seconds.
    var usesTemporaryKey = false

    /// Whether the principal may act in the project of a request's path, a project of
    /// `projectAccount` (`nil`: a project of no particular account, open to any).
    func mayAct(in projectID: String, ofAccount projectAccount: String?) -> Bool {
        if let projectAccount, projectAccount != account { return false }
        return switch scope {
        case .project(let scope): scope == projectID
        case .anyProject: true
        case .noProject: false
        }
    }
}

/// Why the gateway refused a request's credentials; all are 401 `APIGW.0301`.
enum AuthenticationFailure: Error, Sendable, Hashable {
    /// Neither an `Authorization` nor an `X-Auth-Token` header.
    case noCredentials
    /// A signed request from an access key the simulator does not know.
    case unknownAccessKey(String)
    /// The signature does not verify: malformed, wrong secret key, changed request, or an
    /// `X-Sdk-Date` too far from the clock.
    case badSignature(SignatureVerificationError)
    /// A temporary access key used without its security token, or with another one.
    case securityTokenMismatch
    /// A temporary access key past its expiry.
    case accessKeyExpired
    /// An AK/SK signed request without `X-Project-Id`.
    case missingProjectID
    /// A token the simulator never issued.
    case unknownToken
    /// A token past its expiry.
    case tokenExpired(expiresAt: Date)

    /// The gateway's answer. Like the real gateway, an unknown access key is named in the
    /// message, so a client must not print `error_msg` where an access key may not appear.
    var apiError: APIError {
        switch self {
        case .noCredentials:
            .incorrectIAMAuthentication("x-auth-token not found")
        case .unknownAccessKey(let accessKey):
            .incorrectIAMAuthentication("Get secretKey failed,ak:\(accessKey),err:ak not exist")
        case .badSignature(let error):
            .incorrectIAMAuthentication("verify aksk signature fail, \(error)")
        case .securityTokenMismatch:
            .incorrectIAMAuthentication("verify security token fail")
        case .accessKeyExpired:
            .incorrectIAMAuthentication("signature expired")
        case .missingProjectID:
            .incorrectIAMAuthentication("x-project-id not found")
        case .unknownToken:
            .incorrectIAMAuthentication("decrypt token fail")
        case .tokenExpired(let expiresAt):
            .incorrectIAMAuthentication("token expires, expires_at: \(HuaweiTime.iamTimestamp(expiresAt))")
        }
    }
}

/// The API gateway's credential checks: AK/SK signatures (recomputed with `CCESigning` from the
/// request as received and compared in constant time, the date within the allowed skew) and tokens.
struct Authenticator: Sendable {
    let accessKeys: [String: String]
    let temporaryAccessKeys: [String: TemporaryAccessKey]
    let verifier: SignatureVerifier
    let tokens: TokenStore
    /// The temporary keys handed out at run time.
    let issuedKeys: IssuedKeyStore
    /// The owners of permanent keys; a key without one acts in `defaultAccount`.
    let accessKeyOwners: [String: AccessKeyOwner]
    let defaultAccount: String

    /// Accepts the request's credentials or says why not. A signature wins over a token when
    /// a request carries both.
    ///
    /// - Parameter requiresProjectHeader: whether a signed request must carry `X-Project-Id`, as
    ///   the gateway requires for project-level services such as CCE; IAM does not.
    func authenticate(_ request: SimulatedRequest, now: Date, requiresProjectHeader: Bool = true) throws(AuthenticationFailure) -> Principal
    {
        if let authorization = request.header(SignatureHeaderName.authorization) {
            return try authenticateSignature(authorization, of: request, now: now, requiresProjectHeader: requiresProjectHeader)
        }
        if let token = request.header("X-Auth-Token") {
            guard let grant = tokens.grant(for: token) else { throw .unknownToken }
            if let expiresAt = grant.expiresAt, expiresAt <= now { throw .tokenExpired(expiresAt: expiresAt) }
            return Principal(
                user: grant.user,
                scope: grant.projectID.map(Principal.Scope.project) ?? (grant.isDomainScoped ? .noProject : .anyProject),
                account: grant.account,
                mayAssumeAgencies: grant.mayAssumeAgencies
            )
        }
        throw .noCredentials
    }

    private func authenticateSignature(
        _ authorizationHeader: String,
        of request: SimulatedRequest,
        now: Date,
        requiresProjectHeader: Bool
    ) throws(AuthenticationFailure) -> Principal {
        let authorization: SignatureAuthorization
        do {
            authorization = try SignatureAuthorization(parsing: authorizationHeader)
        } catch {
            throw .badSignature(error)
        }
        let secretKey: String
        var account = defaultAccount
        var mayAssumeAgencies = false
        var usesTemporaryKey = false
        if let permanent = accessKeys[authorization.accessKey] {
            secretKey = permanent
            if let owner = accessKeyOwners[authorization.accessKey] {
                account = owner.account ?? defaultAccount
                mayAssumeAgencies = owner.mayAssumeAgencies
            }
        } else if let temporary = temporaryAccessKeys[authorization.accessKey] {
            try Self.checkSecurityToken(
                of: authorization,
                in: request,
                expected: temporary.securityToken,
                expiresAt: temporary.expiresAt,
                now: now
            )
            secretKey = temporary.secretKey
            usesTemporaryKey = true
        } else if let issued = issuedKeys.key(authorization.accessKey) {
            try Self.checkSecurityToken(
                of: authorization,
                in: request,
                expected: issued.securityToken,
                expiresAt: issued.expiresAt,
                now: now
            )
            secretKey = issued.secretKey
            account = issued.account
            mayAssumeAgencies = issued.mayAssumeAgencies
            usesTemporaryKey = true
        } else {
            throw .unknownAccessKey(authorization.accessKey)
        }
        do {
            _ = try verifier.verify(request.signable, secretKey: secretKey, now: now)
        } catch {
            throw .badSignature(error)
        }
        let user = "access key \(authorization.accessKey)"
        let scope: Principal.Scope
        if let projectID = request.header(SignatureHeaderName.projectID) {
            scope = .project(projectID)
        } else {
            guard !requiresProjectHeader else { throw .missingProjectID }
            scope = .noProject
        }
        return Principal(
            user: user,
            scope: scope,
            account: account,
            mayAssumeAgencies: mayAssumeAgencies,
            usesTemporaryKey: usesTemporaryKey
        )
    }

    /// A temporary key works only before it expires, and only with its own security token in
    /// `X-Security-Token`, which must be signed too.
    private static func checkSecurityToken(
        of authorization: SignatureAuthorization,
        in request: SimulatedRequest,
        expected: String,
        expiresAt: Date?,
        now: Date
    ) throws(AuthenticationFailure) {
        if let expiresAt, expiresAt <= now { throw .accessKeyExpired }
        guard let token = request.header(SignatureHeaderName.securityToken),
            sameSecret(token, expected),
            authorization.signedHeaders.contains(where: { $0.lowercased() == "x-security-token" })
        else { throw .securityTokenMismatch }
    }

    /// Compares two secrets in time independent of where they differ.
    static func sameSecret(_ given: String, _ expected: String) -> Bool {
        SHA256.hash(data: Array(given.utf8)) == SHA256.hash(data: Array(expected.utf8))
    }
}
