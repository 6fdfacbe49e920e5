#if canImport(Glibc)
import Glibc
#endif

/// An environment variable the credential set's key id is read from, as it was: kubectl runs
/// the plugin in the user's shell, where another key in the variable means another identity, so
/// the certificate fetched with the old one must not be handed out. The record holds the
/// value's SHA-256, never the value.
package struct VariableFingerprint: Sendable, Hashable {
    package var name: String
    /// The hex SHA-256 of the value; `nil` when the variable was unset or empty.
    package var digest: String?

    package init(name: String, digest: String?) {
        self.name = name
        self.digest = digest
    }

    /// `name` as `environment` (this process's, unless given) holds it now.
    package init(of name: String, environment: (String) -> String? = VariableFingerprint.processEnvironment) {
        self.name = name
        digest = environment(name).flatMap { $0.isEmpty ? nil : SHA256Digest.hex(Array($0.utf8)) }
    }

    /// Whether the variable still holds what was fingerprinted (is still unset, when it was).
    package func isCurrent(in environment: (String) -> String? = VariableFingerprint.processEnvironment) -> Bool {
        VariableFingerprint(of: name, environment: environment) == self
    }

    /// This process's environment.
    package static func processEnvironment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }
}
