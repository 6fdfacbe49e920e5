import CCESigning
import Crypto
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Who made a request, once the gateway has accepted its credentials.
enum Principal: Sendable, Hashable {
    /// AK/SK signed, acting in the project of its `X-Project-Id` header.
    case accessKey(projectID: String)
    /// An IAM or static token scoped to a project, or (static tokens only) to any.
    case token(projectID: String?)

    /// Whether the principal may act in the project of a request's path.
    func mayAct(in projectID: String) -> Bool {
        switch self {
        case .accessKey(let scope): scope == projectID
        case .token(let scope): scope == nil || scope == projectID
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

/// The API gateway's credential checks: AK/SK signatures (verified with `CCESigning`, the
/// gateway's own algorithm) and tokens.
struct Authenticator: Sendable {
    let accessKeys: [String: String]
    let temporaryAccessKeys: [String: TemporaryAccessKey]
    let verifier: SignatureVerifier
    let tokens: TokenStore

    /// Accepts the request's credentials or says why not. A signature wins over a token when
    /// a request carries both.
    func authenticate(_ request: SimulatedRequest, now: Date) throws(AuthenticationFailure) -> Principal {
        if let authorization = request.header(SignatureHeaderName.authorization) {
            return try authenticateSignature(authorization, of: request, now: now)
        }
        if let token = request.header("X-Auth-Token") {
            guard let grant = tokens.grant(for: token) else { throw .unknownToken }
            if let expiresAt = grant.expiresAt, expiresAt <= now { throw .tokenExpired(expiresAt: expiresAt) }
            return .token(projectID: grant.projectID)
        }
        throw .noCredentials
    }

    private func authenticateSignature(
        _ authorizationHeader: String,
        of request: SimulatedRequest,
        now: Date
    ) throws(AuthenticationFailure) -> Principal {
        let authorization: SignatureAuthorization
        do {
            authorization = try SignatureAuthorization(parsing: authorizationHeader)
        } catch {
            throw .badSignature(error)
        }
        let secretKey: String
        if let permanent = accessKeys[authorization.accessKey] {
            secretKey = permanent
        } else if let temporary = temporaryAccessKeys[authorization.accessKey] {
            if let expiresAt = temporary.expiresAt, expiresAt <= now { throw .accessKeyExpired }
            guard let token = request.header(SignatureHeaderName.securityToken),
                Self.sameSecret(token, temporary.securityToken),
                authorization.signedHeaders.contains(where: { $0.lowercased() == "x-security-token" })
            else { throw .securityTokenMismatch }
            secretKey = temporary.secretKey
        } else {
            throw .unknownAccessKey(authorization.accessKey)
        }
        do {
            _ = try verifier.verify(request.signable, secretKey: secretKey, now: now)
        } catch {
            throw .badSignature(error)
        }
        guard let projectID = request.header(SignatureHeaderName.projectID) else { throw .missingProjectID }
        return .accessKey(projectID: projectID)
    }

    /// Compares two secrets in time independent of where they differ.
    static func sameSecret(_ given: String, _ expected: String) -> Bool {
        SHA256.hash(data: Array(given.utf8)) == SHA256.hash(data: Array(expected.utf8))
    }
}
