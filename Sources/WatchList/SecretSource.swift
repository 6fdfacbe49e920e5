/// Where one secret (an access key, a secret key, a security token, a token, a password) comes from.
///
/// The config gives each secret `X` as `X`, `X_env` or `X_file`. For the environment and file
/// forms only the reference is kept: the value is read when it is used, so a rotated file takes
/// effect without a reload. No description or mirror ever shows an inline value.
package enum SecretSource: Sendable, Hashable, CustomStringConvertible, CustomReflectable {
    /// The secret itself, written in the config (accepted only when the file is private to its owner).
    case inline(String)
    /// The name of an environment variable that holds the secret.
    case environment(String)
    /// The path of a file that holds the secret, `~/` already expanded.
    case file(String)

    package var description: String {
        switch self {
        case .inline: "inline (redacted)"
        case .environment(let name): "environment variable \(name)"
        case .file(let path): "file \(path)"
        }
    }

    package var customMirror: Mirror {
        Mirror(self, children: ["source": description], displayStyle: .enum)
    }
}
