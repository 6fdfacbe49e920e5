#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// IAM's temporary keys, `POST /v3.0/OS-CREDENTIAL/securitytokens`, in its two forms:
///
/// - `methods: ["assume_role"]` (`CreateTemporaryAccessKeyByAgency`): keys of an agency, for a
///   caller with the Agent Operator role in the account the agency trusts;
/// - `methods: ["token"]` (`CreateTemporaryAccessKeyByToken`): keys acting as the token does,
///   the way Huawei's SDKs turn a federated token into keys they can sign with.
///
/// Both answer 201 `{"credential": {"access", "expires_at", "secret", "securitytoken"}}`, with
/// `duration_seconds` 900…86 400 (default 900); errors in Keystone's shape.
struct SecurityTokens: Sendable {
    let state: SimulatorState

    /// The request body, both forms.
    private struct Body: Decodable {
        struct Auth: Decodable {
            var identity: Identity
        }

        struct Identity: Decodable {
            var methods: [String]
            var assumeRole: AssumeRole?
            var token: TokenMethod?

            enum CodingKeys: String, CodingKey {
                case methods
                case assumeRole = "assume_role"
                case token
            }
        }

        struct AssumeRole: Decodable {
            var agencyName: String
            var domainID: String?
            var domainName: String?
            var durationSeconds: Int?
            var sessionUser: SessionUser?

            enum CodingKeys: String, CodingKey {
                case agencyName = "agency_name"
                case domainID = "domain_id"
                case domainName = "domain_name"
                case durationSeconds = "duration_seconds"
                case sessionUser = "session_user"
            }
        }

        struct SessionUser: Decodable {
            var name: String?
        }

        struct TokenMethod: Decodable {
            var id: String?
            var durationSeconds: Int?

            enum CodingKeys: String, CodingKey {
                case id
                case durationSeconds = "duration_seconds"
            }
        }

        var auth: Auth
    }

    /// The durations IAM allows for temporary keys: 15 minutes to 24 hours.
    static let durations = 900...86_400

    func respond(to request: SimulatedRequest, requestID: String) -> SimulatedResponse {
        do {
            let key = try issue(request)
            return .json(.created, ["credential": key.iamCredential], headers: ["X-Request-Id": requestID])
        } catch {
            return error.response(requestID: requestID)
        }
    }

    private func issue(_ request: SimulatedRequest) throws(APIError) -> IssuedKeyStore.Key {
        let now = state.now()
        guard let body = try? JSONDecoder().decode(Body.self, from: Data(request.body)) else {
            throw .iam(.badRequest, "The request body is not a valid securitytokens request.")
        }
        let identity = body.auth.identity
        switch identity.methods {
        case ["assume_role"]:
            guard let assumeRole = identity.assumeRole else {
                throw .iam(.badRequest, "Request parameter 'assume_role' is missing.")
            }
            return try assume(assumeRole, request: request, now: now)
        case ["token"]:
            return try exchange(identity.token, request: request, now: now)
        default:
            throw .iam(.badRequest, "Request parameter 'methods' must be [\"assume_role\"] or [\"token\"].")
        }
    }

    private func assume(_ body: Body.AssumeRole, request: SimulatedRequest, now: Date) throws(APIError) -> IssuedKeyStore.Key {
        let caller = try authenticate(request, now: now)
        let duration = body.durationSeconds ?? 900
        guard Self.durations.contains(duration) else {
            throw .iam(.badRequest, "Request parameter 'duration_seconds' must be between 900 and 86400.")
        }
        guard !body.agencyName.isEmpty else {
            throw .iam(.badRequest, "Request parameter 'agency_name' is invalid.")
        }
        if let sessionUser = body.sessionUser?.name, sessionUser.wholeMatch(of: /[A-Za-z][A-Za-z0-9_-]{4,63}/) == nil {
            throw .iam(.badRequest, "Request parameter 'session_user.name' is invalid.")
        }
        let account: String?
        switch (body.domainID, body.domainName) {
        case (let id?, _): account = state.configuration.accountsByID[id]
        case (nil, let name?): account = state.configuration.accountsByID[SimulatorConfiguration.accountID(of: name)]
        case (nil, nil): throw .iam(.badRequest, "Request parameter 'domain_id' or 'domain_name' is required.")
        }
        guard caller.mayAssumeAgencies else {
            throw .iam(.forbidden, "You are not authorized to perform the requested action: the caller has no Agent Operator role.")
        }
        guard let account, let agency = state.configuration.agency(named: body.agencyName, inAccount: account) else {
            throw .iam(.forbidden, "You are not authorized to perform the requested action: no such agency in the account.")
        }
        guard agency.trustedAccount == caller.account else {
            throw .iam(
                .forbidden,
                "You are not authorized to perform the requested action: the agency does not trust the caller's account."
            )
        }
        return state.issueTemporaryKey(account: agency.account, mayAssumeAgencies: agency.mayAssumeAgencies, requested: duration, now: now)
    }

    /// Keys for a token: the token in `X-Auth-Token`, or (deprecated) in the body.
    private func exchange(_ body: Body.TokenMethod?, request: SimulatedRequest, now: Date) throws(APIError) -> IssuedKeyStore.Key {
        guard let token = request.header("X-Auth-Token") ?? body?.id else {
            throw .iam(.unauthorized, "The request you have made requires authentication.")
        }
        let grant = try Self.validGrant(of: token, in: state.tokens, now: now)
        let duration = body?.durationSeconds ?? 900
        guard Self.durations.contains(duration) else {
            throw .iam(.badRequest, "Request parameter 'duration_seconds' must be between 900 and 86400.")
        }
        return state.issueTemporaryKey(account: grant.account, mayAssumeAgencies: grant.mayAssumeAgencies, requested: duration, now: now)
    }

    /// The caller of `assume_role`: a token in `X-Auth-Token`, or an AK/SK signature, which the
    /// gateway checks (401 `APIGW.0301` when it fails).
    private func authenticate(_ request: SimulatedRequest, now: Date) throws(APIError) -> Principal {
        if request.header("Authorization") != nil {
            do {
                return try state.authenticator.authenticate(request, now: now, requiresProjectHeader: false)
            } catch {
                throw error.apiError
            }
        }
        guard let token = request.header("X-Auth-Token") else {
            throw .iam(.unauthorized, "The request you have made requires authentication.")
        }
        let grant = try Self.validGrant(of: token, in: state.tokens, now: now)
        return Principal(user: grant.user, scope: .noProject, account: grant.account, mayAssumeAgencies: grant.mayAssumeAgencies)
    }

    /// The grant of a token IAM issued and that has not expired; 401 otherwise.
    static func validGrant(of token: String, in tokens: TokenStore, now: Date) throws(APIError) -> TokenStore.Grant {
        guard let grant = tokens.grant(for: token) else {
            throw .iam(.unauthorized, "The request you have made requires authentication.")
        }
        if let expiresAt = grant.expiresAt, expiresAt <= now {
            throw .iam(.unauthorized, "The token has expired.")
        }
        return grant
    }
}
