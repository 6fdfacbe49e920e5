#if canImport(Glibc)
import Glibc
#endif

/// Where the credential record of a watch name lives for this user, found as the full binary
/// finds it: `$XDG_STATE_HOME` when absolute, else `$HOME/.local/state` when `$HOME` is
/// absolute, else the password database's home; then `cce-kubeconfigd/credentials/<name>/`.
package enum CredentialLocation {
    package static let credentialsPath = "cce-kubeconfigd/credentials"

    /// The record's path for `watchName`; `nil` when no home directory can be found.
    package static func recordPath(for watchName: String) -> String? {
        guard let state = stateHome() else { return nil }
        return state + "/" + credentialsPath + "/" + watchName + "/" + CredentialRecord.fileName
    }

    private static func stateHome() -> String? {
        if let state = environment("XDG_STATE_HOME"), state.hasPrefix("/") { return state }
        if let home = environment("HOME"), home.hasPrefix("/") { return home + "/.local/state" }
        guard let entry = getpwuid(getuid()), let directory = entry.pointee.pw_dir else { return nil }
        return String(cString: directory) + "/.local/state"
    }

    private static func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    /// Whether `name` can only name an entry of the credentials directory: not empty, no `/`,
    /// not starting with a dot. A name that passes but is no watch name has no record, and the
    /// full binary says what is wrong with it.
    package static func isSingleComponent(_ name: String) -> Bool {
        !name.isEmpty && !name.hasPrefix(".") && !name.utf8.contains(UInt8(ascii: "/"))
    }
}
