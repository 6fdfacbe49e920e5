#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ArgumentParser
import CredentialFiles
import Glibc
import Kubeconfig
import KubeconfigOutput
import KubeconfigStore
import RefreshState

/// Where the exec-mode pieces live for this user, and the writer that uses them.
enum ExecCredentialSupport {
    /// `$XDG_STATE_HOME/cce-kubeconfigd` (else `~/.local/state/cce-kubeconfigd`): the state file's directory.
    static func stateDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let path = StateFile.defaultPath(environment: environment, homeDirectory: HomeDirectory.current(environment: environment))
        return String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)])
    }

    static func credentialStore(environment: [String: String] = ProcessInfo.processInfo.environment) -> CredentialStore {
        CredentialStore(stateDirectory: stateDirectory(environment: environment))
    }

    /// The absolute path of this executable, symlinks resolved: what an exec entry runs, so
    /// kubectl finds it whatever its `PATH`.
    static var executablePath: String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard count > 0 else { return CommandLine.arguments[0] }
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The writer for `store`, with this user's credential files and this executable as the plugin.
    static func writer(store: KubeconfigStore) -> OutputWriter {
        OutputWriter(store: store, credentials: credentialStore(), execCommand: executablePath, homeDirectory: HomeDirectory.current())
    }

    /// Runs a batch, turning its failure into the command's one-sentence error.
    static func apply(_ writer: OutputWriter, _ batch: OutputBatch, dryRun: Bool) throws -> OutputOutcome {
        do {
            return try writer.apply(batch, dryRun: dryRun, now: Date())
        } catch {
            throw CommandFailure(error.description)
        }
    }
}

extension CredentialMode: ExpressibleByArgument {}
