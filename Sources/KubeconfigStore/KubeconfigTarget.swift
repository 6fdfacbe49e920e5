import Glibc

/// Which file a write goes to, resolved like kubectl (`--kubeconfig`, else `$KUBECONFIG`, else `~/.kube/config`).
package struct KubeconfigTarget: Sendable, Equatable {
    /// The path as spelled. kubectl names its lock file after this spelling, so it is kept as given.
    package var path: String

    package init(path: String) {
        self.path = path
    }

    /// Resolves the file to write.
    ///
    /// `explicitPath` wins ("~/" is expanded with `homeDirectory`). Else `$KUBECONFIG` is split on ":", empty
    /// parts dropped and duplicates removed in order: one entry is used as it is; with several, the first
    /// existing file for which `holdsManagedEntries` returns true, else the first existing file, else the last
    /// entry (kubectl's `PathOptions.GetDefaultFilename`). Else `<homeDirectory>/.kube/config`.
    ///
    /// Preferring the file that already holds our entries keeps them in one place when the list changes order.
    package static func resolve(
        explicitPath: String?,
        environment: [String: String],
        homeDirectory: String,
        holdsManagedEntries: (String) -> Bool = { _ in false }
    ) -> KubeconfigTarget {
        if let explicitPath, !explicitPath.isEmpty {
            return KubeconfigTarget(path: expandingHome(in: explicitPath, homeDirectory: homeDirectory))
        }
        let entries = kubeconfigEntries(environment["KUBECONFIG"] ?? "")
        switch entries.count {
        case 0:
            return KubeconfigTarget(path: joinPath(homeDirectory, ".kube/config"))
        case 1:
            return KubeconfigTarget(path: entries[0])
        default:
            let existing = entries.filter(exists)
            let chosen = existing.first(where: holdsManagedEntries) ?? existing.first ?? entries[entries.count - 1]
            return KubeconfigTarget(path: chosen)
        }
    }

    private static func kubeconfigEntries(_ value: String) -> [String] {
        var seen = Set<String>()
        return value.split(separator: ":", omittingEmptySubsequences: true)
            .map(String.init)
            .filter { seen.insert($0).inserted }
    }

    private static func expandingHome(in path: String, homeDirectory: String) -> String {
        guard path.hasPrefix("~/") else { return path }
        return joinPath(homeDirectory, String(path.dropFirst(2)))
    }

    /// kubectl counts anything `os.Stat` succeeds on as existing; so does this.
    private static func exists(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0
    }
}
