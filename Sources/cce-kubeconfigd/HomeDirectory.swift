#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The user's home directory as kubectl and the XDG base directory specification take it:
/// `$HOME` when it is an absolute path, else the password database's entry. (Foundation's
/// `homeDirectoryForCurrentUser` reads only the password database, so a session with another
/// `$HOME` would see cce-kubeconfigd and kubectl use different kubeconfigs.)
enum HomeDirectory {
    static func current(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let home = environment["HOME"], home.hasPrefix("/") {
            return home
        }
        return FileManager.default.homeDirectoryForCurrentUser.path(percentEncoded: false)
    }
}
