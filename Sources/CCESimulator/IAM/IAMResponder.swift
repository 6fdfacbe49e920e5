import Crypto
import NIOHTTP1

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The IAM endpoint: password login for project-scoped tokens, `POST /v3/auth/tokens`, the
/// project lists (``ProjectList``), temporary keys (``SecurityTokens``) and the OpenID Connect
/// login (``IDTokenLogin``).
///
/// A login answers 201 with the token in `X-Subject-Token` and its details (`expires_at` first)
/// in the body; errors in Keystone's shape. Tokens are then accepted by the CCE endpoint until
/// they expire.
struct IAMResponder: HTTPResponder {
    let state: SimulatorState
    /// The CCE endpoint, listed in the token's service catalog.
    let cceEndpoint: URL

    func respond(to request: SimulatedRequest) async -> SimulatedResponse {
        await state.delayAnswer()
        let requestID = RequestID.make()
        if request.method == .GET, let route = ProjectList.Route(path: request.path) {
            return ProjectList(state: state).respond(to: request, route: route, requestID: requestID)
        }
        switch (request.method, request.path) {
        case (.POST, "/v3/auth/tokens"): break
        case (.POST, "/v3.0/OS-CREDENTIAL/securitytokens"):
            return SecurityTokens(state: state).respond(to: request, requestID: requestID)
        case (.POST, "/v3.0/OS-AUTH/id-token/tokens"):
            return IDTokenLogin(state: state).respond(to: request, requestID: requestID)
        default:
            return APIError.apiNotFound.response(requestID: requestID)
        }
        do {
            return try login(request, requestID: requestID)
        } catch {
            return error.response(requestID: requestID)
        }
    }

    private func login(_ request: SimulatedRequest, requestID: String) throws(APIError) -> SimulatedResponse {
        guard let login = try? JSONDecoder().decode(PasswordLogin.self, from: Data(request.body)) else {
            throw .iam(.badRequest, "The request body is not a valid token request.")
        }
        guard login.auth.identity.methods == ["password"], let password = login.auth.identity.password else {
            throw .iam(.badRequest, "Only the password method is supported.")
        }
        let given = password.user
        guard
            let user = state.configuration.users.first(where: { user in
                (given.domain.name == user.domain || given.domain.id == SimulatorConfiguration.accountID(of: user.domain))
                    && given.name == user.name
            }),
            Authenticator.sameSecret(given.password, user.password)
        else {
            throw .iam(.unauthorized, "The username or password is wrong.")
        }
        guard let scope = login.auth.scope?.project else {
            throw .iam(.badRequest, "A project scope is required.")
        }
        guard let projectID = state.project(named: scope, inAccount: user.domain) else {
            throw .iam(.unauthorized, "The project in the scope does not exist.")
        }

        let issuedAt = state.now()
        let expiresAt = issuedAt + user.tokenLifetime.timeInterval
        let token = state.tokens.issue(
            TokenStore.Grant(
                user: "IAM user \(user.domain)/\(user.name)",
                projectID: projectID,
                expiresAt: expiresAt,
                account: user.domain,
                mayAssumeAgencies: user.mayAssumeAgencies
            )
        )
        let withCatalog = !SimulatedRequest.queryNames(request.query).contains("nocatalog")
        return .json(
            .created,
            tokenBody(user: user, projectID: projectID, issuedAt: issuedAt, expiresAt: expiresAt, withCatalog: withCatalog),
            headers: ["X-Subject-Token": token, "X-Request-Id": requestID]
        )
    }

    private func tokenBody(user: IAMUser, projectID: String, issuedAt: Date, expiresAt: Date, withCatalog: Bool) -> JSONValue {
        let domain: JSONValue = ["id": .string(SimulatorConfiguration.accountID(of: user.domain)), "name": .string(user.domain)]
        let projectName = state.configuration.projectName(projectID)
        var token: [(key: String, value: JSONValue)] = [
            ("expires_at", .string(HuaweiTime.iamTimestamp(expiresAt))),
            ("issued_at", .string(HuaweiTime.iamTimestamp(issuedAt))),
            ("methods", ["password"]),
            ("project", ["id": .string(projectID), "name": .string(projectName), "domain": domain]),
            (
                "user",
                [
                    "id": .string(Self.stableID("user", user.domain + "/" + user.name)), "name": .string(user.name),
                    "password_expires_at": "", "domain": domain,
                ]
            ),
            ("roles", [["id": .string(Self.stableID("role", "te_admin")), "name": "te_admin"]]),
        ]
        if withCatalog {
            let endpoint: JSONValue = [
                "url": .string(cceEndpoint.absoluteString), "region": .string(projectName), "region_id": .string(projectName),
                "interface": "public", "id": .string(Self.stableID("endpoint", projectName)),
            ]
            token.append(
                ("catalog", [["type": "cce", "id": .string(Self.stableID("service", "cce")), "name": "cce", "endpoints": [endpoint]]])
            )
        }
        return ["token": .object(token)]
    }

    /// A 32-hex-digit id derived from a name, so a user or domain keeps its id across restarts.
    static func stableID(_ kind: String, _ name: String) -> String {
        SHA256.hash(data: Array("\(kind):\(name)".utf8)).prefix(16).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}

extension SimulatorState {
    /// The project id a scope names, by id or by name, among the projects open to `account`;
    /// `nil` for a project the account does not have.
    func project(named scope: PasswordLogin.Reference, inAccount account: String) -> String? {
        let projects = projectIDs.filter { configuration.project($0, isOpenTo: account) }
        if let id = scope.id {
            return projects.contains(id) ? id : nil
        }
        return projects.sorted().first { configuration.projectName($0) == scope.name }
    }
}
