#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// IAM's OpenID Connect login, `POST /v3.0/OS-AUTH/id-token/tokens` (`CreateTokenWithIdToken`):
/// an id token of the identity provider named in `X-Idp-Id` for a federated token scoped to a
/// project or to the provider's account.
///
/// Checks, in order: `X-Idp-Id` (400 when missing, 404 for an unknown provider), the body (400),
/// the id token (401: signature, issuer, audience, expiry), the scope (400 when missing, 401 for
/// a project or account that is not the provider's). Answers 201 with the token in
/// `X-Subject-Token` and its details, `user.OS-FEDERATION` included, in the body.
struct IDTokenLogin: Sendable {
    let state: SimulatorState

    private struct Body: Decodable {
        struct Auth: Decodable {
            var idToken: IDToken
            var scope: PasswordLogin.Scope?

            enum CodingKeys: String, CodingKey {
                case idToken = "id_token"
                case scope
            }
        }

        struct IDToken: Decodable {
            var id: String
        }

        var auth: Auth
    }

    func respond(to request: SimulatedRequest, requestID: String) -> SimulatedResponse {
        do {
            return try login(request, requestID: requestID)
        } catch {
            return error.response(requestID: requestID)
        }
    }

    private func login(_ request: SimulatedRequest, requestID: String) throws(APIError) -> SimulatedResponse {
        let now = state.now()
        guard let providerID = request.header("X-Idp-Id"), !providerID.isEmpty else {
            throw .iam(.badRequest, "Request parameter 'idp id' is invalid.")
        }
        guard let provider = state.configuration.identityProviders.first(where: { $0.id == providerID }) else {
            throw .iam(.notFound, "Could not find identity provider: \(providerID).")
        }
        guard let body = try? JSONDecoder().decode(Body.self, from: Data(request.body)) else {
            throw .iam(.badRequest, "The request body is not a valid id token request.")
        }
        let claims: IDTokenVerifier.Claims
        do {
            claims = try IDTokenVerifier(provider: provider).verify(body.auth.idToken.id, now: now)
        } catch {
            throw .iam(.unauthorized, error.description)
        }
        guard let scope = body.auth.scope, scope.project != nil || scope.domain != nil else {
            throw .iam(.badRequest, "A project or domain scope is required.")
        }
        var projectID: String?
        if let project = scope.project {
            guard let id = state.project(named: project, inAccount: provider.account) else {
                throw .iam(.unauthorized, "The project in the scope does not exist.")
            }
            projectID = id
        } else if let domain = scope.domain {
            let accountID = SimulatorConfiguration.accountID(of: provider.account)
            guard domain.id == accountID || domain.name == provider.account else {
                throw .iam(.unauthorized, "The domain in the scope is not the identity provider's account.")
            }
        }

        let expiresAt = now + provider.tokenLifetime.timeInterval
        let userName = "\(provider.id)/\(claims.subject)"
        let token = state.tokens.issue(
            TokenStore.Grant(
                user: "federated user \(userName)",
                projectID: projectID,
                expiresAt: expiresAt,
                account: provider.account,
                mayAssumeAgencies: provider.mayAssumeAgencies,
                isDomainScoped: projectID == nil
            )
        )
        return .json(
            .created,
            tokenBody(provider: provider, userName: userName, projectID: projectID, issuedAt: now, expiresAt: expiresAt),
            headers: ["X-Subject-Token": token, "X-Request-Id": requestID]
        )
    }

    private func tokenBody(provider: IdentityProvider, userName: String, projectID: String?, issuedAt: Date, expiresAt: Date) -> JSONValue {
        let domain: JSONValue = ["id": .string(SimulatorConfiguration.accountID(of: provider.account)), "name": .string(provider.account)]
        var token: [(key: String, value: JSONValue)] = [
            ("expires_at", .string(HuaweiTime.iamTimestamp(expiresAt))),
            ("issued_at", .string(HuaweiTime.iamTimestamp(issuedAt))),
            ("methods", ["mapped"]),
            ("domain", domain),
        ]
        if let projectID {
            token.append(
                ("project", ["id": .string(projectID), "name": .string(state.configuration.projectName(projectID)), "domain": domain])
            )
        }
        token.append(("roles", [["id": "0", "name": "te_admin"]]))
        token.append(
            (
                "user",
                [
                    "OS-FEDERATION": [
                        "groups": [["id": .string(IAMResponder.stableID("group", provider.id)), "name": "admin"]],
                        "identity_provider": ["id": .string(provider.id)],
                        "protocol": ["id": "oidc"],
                    ],
                    "domain": domain,
                    "id": .string(IAMResponder.stableID("federated-user", userName)),
                    "name": .string(userName),
                    "password_expires_at": "",
                ]
            )
        )
        return ["token": .object(token)]
    }
}
