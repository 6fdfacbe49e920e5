#if canImport(Glibc)
import Glibc
#endif

/// The programs that ship beside `cce-kubeconfigd` but are not the service: the fast exec
/// plugin and the CCE simulator `demo` starts.
///
/// Installed, they live in `PREFIX/libexec/cce-kubeconfigd/` while this executable is
/// `PREFIX/bin/cce-kubeconfigd` (the packages, the tarball and `make install` all use that
/// layout); in a SwiftPM build directory every product sits side by side. So a companion is
/// looked for beside this executable first, then in the libexec directory of its prefix.
enum CompanionExecutable: String, CaseIterable {
    /// The exec plugin's fast path: answers `credential N` from the credential files.
    case credentialPlugin = "cce-kubeconfigd-credential"
    /// The CCE simulator, for `demo`.
    case simulator = "cce-simulator"

    /// The libexec directory's name below the prefix.
    static let libexecDirectory = "libexec/cce-kubeconfigd"

    /// The absolute path of this companion for the executable at `executablePath`, or `nil`
    /// when it is not installed.
    func path(besideExecutableAt executablePath: String) -> String? {
        let directory = Self.parent(of: executablePath)
        let candidates = [
            directory + "/" + rawValue,
            Self.parent(of: directory) + "/" + Self.libexecDirectory + "/" + rawValue,
        ]
        return candidates.first { access($0, X_OK) == 0 }
    }

    /// `path` less its last component; `/` stays `/`.
    private static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
