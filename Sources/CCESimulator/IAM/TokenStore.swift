import Synchronization

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The tokens the simulator accepts in `X-Auth-Token`: the configured static ones and those IAM
/// issued at login.
final class TokenStore: Sendable {
    /// What a token allows, and until when.
    struct Grant: Sendable, Hashable {
        /// Who the token was issued to, for the per-user rate limit.
        var user: String
        /// The project the token is scoped to; `nil`: any (static tokens only).
        var projectID: String?
        /// `nil`: never expires (static tokens only).
        var expiresAt: Date?
        /// The account the token acts in.
        var account: String
        /// Whether the token may assume agencies (the Agent Operator role).
        var mayAssumeAgencies = false
        /// A token scoped to an account rather than a project: good for IAM, not for CCE.
        var isDomainScoped = false
    }

    private let grants: Mutex<[String: Grant]>

    init(staticTokens: [StaticToken], account: String) {
        grants = Mutex(
            Dictionary(
                staticTokens.enumerated().map { index, token in
                    (
                        token.token,
                        Grant(user: "static token \(index)", projectID: token.projectID, expiresAt: token.expiresAt, account: account)
                    )
                },
                uniquingKeysWith: { _, last in last }
            )
        )
    }

    /// A new random token in IAM's style (`MII…`, about 1 200 characters) for `grant`.
    func issue(_ grant: Grant) -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<900).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let token =
            "MII"
            + String(
                Data(bytes).base64EncodedString().compactMap { (character: Character) -> Character? in
                    switch character {
                    case "/": "-"
                    case "+": "_"
                    case "=": nil
                    default: character
                    }
                }
            )
        grants.withLock { $0[token] = grant }
        return token
    }

    /// The grant of a token; `nil` for one the simulator never issued.
    func grant(for token: String) -> Grant? {
        grants.withLock { $0[token] }
    }
}
