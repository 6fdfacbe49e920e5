import CCESigning

/// A credential set with its secrets read: what requests authenticate with.
///
/// Made by ``CredentialResolver`` from a `CredentialSet` of the watch list. Descriptions and
/// mirrors never show a secret.
package enum ResolvedCredential: Sendable, Hashable, CustomStringConvertible, CustomReflectable {
    /// Every request is signed (`SDK-HMAC-SHA256`); a temporary key pair carries its security token.
    /// The key's project is replaced by each cluster's, which the path names.
    case accessKey(AccessKeyCredential)
    /// A ready IAM token, sent as `X-Auth-Token`.
    case token(String)
    /// An IAM user's password, exchanged for a token that is cached until shortly before it expires.
    case password(PasswordCredential)
    /// Temporary keys or a token the client obtains by an exchange, keeps for every cluster of
    /// the set, and renews before they expire.
    case exchanged(CredentialExchange)

    package var description: String {
        switch self {
        case .accessKey(let credential): "accessKey(\(credential))"
        case .token: "token(<redacted>)"
        case .password(let credential): "password(\(credential))"
        case .exchanged(let exchange): "exchanged(\(exchange))"
        }
    }

    package var customMirror: Mirror {
        Mirror(self, children: ["credential": description], displayStyle: .enum)
    }

    /// The values that must never appear in a message: keys, tokens, the password.
    var secrets: [String] {
        switch self {
        case .accessKey(let credential):
            [credential.accessKey, credential.secretKey] + (credential.securityToken.map { [$0] } ?? [])
        case .token(let token):
            [token]
        case .password(let credential):
            [credential.password]
        case .exchanged(let exchange):
            exchange.secrets
        }
    }
}
