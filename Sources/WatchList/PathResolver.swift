/// Turns path-like values of the config (`kubeconfig`, `ca_file`, `*_file`) into the paths to open.
///
/// `~` and `~/...` expand to the given home directory. A relative path is taken relative to the
/// config file's directory, as kubectl does for paths inside a kubeconfig: a service's working
/// directory is rarely the one the operator had in mind.
struct PathResolver {
    var homeDirectory: String
    /// The config file's directory as spelled (`""` when the config path has no `/`).
    var configDirectory: String

    init(homeDirectory: String, configPath: String) {
        self.homeDirectory = homeDirectory
        if let slash = configPath.lastIndex(of: "/") {
            self.configDirectory = String(configPath[...slash])
        } else {
            self.configDirectory = ""
        }
    }

    /// Why a path-like value cannot be used; each reads after "the path ...".
    enum Problem: Error, Sendable, Hashable, CustomStringConvertible {
        case empty
        case otherUsersHome
        case noHomeDirectory

        var description: String {
            switch self {
            case .empty: "is empty"
            case .otherUsersHome: "starts with ~name, which is not expanded; write ~/ or the full path"
            case .noHomeDirectory: "starts with ~, but there is no home directory to expand it to"
            }
        }
    }

    func resolve(_ text: String) -> Result<String, Problem> {
        guard !text.isEmpty else { return .failure(.empty) }
        if text == "~" || text.hasPrefix("~/") {
            guard !homeDirectory.isEmpty else { return .failure(.noHomeDirectory) }
            let home = homeDirectory.hasSuffix("/") && homeDirectory != "/" ? String(homeDirectory.dropLast()) : homeDirectory
            let rest = text.dropFirst(2)
            return .success(rest.isEmpty ? home : (home == "/" ? "/" : home + "/") + rest)
        }
        if text.hasPrefix("~") { return .failure(.otherUsersHome) }
        if text.hasPrefix("/") { return .success(text) }
        return .success(configDirectory + text)
    }
}
