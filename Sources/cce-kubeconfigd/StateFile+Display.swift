import RefreshState

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension StateFile {
    /// The state the daemon or `sync` last wrote, for a command that shows it beside the
    /// kubeconfig; `nil`, after a warning on standard error, when the file cannot be used, since
    /// the kubeconfig alone is still worth showing.
    static func readForDisplay(environment: [String: String], homeDirectory: String) -> RefreshStateSnapshot? {
        let stateFile = StateFile(path: StateFile.defaultPath(environment: environment, homeDirectory: homeDirectory))
        do {
            return try stateFile.read()
        } catch {
            Terminal.printError("warning: \(error)")
            return nil
        }
    }
}
