import ArgumentParser
import CBuildInfo

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// The `cce-kubeconfigd` command: keeps Huawei Cloud CCE credentials fresh in a kubeconfig.
///
/// Exit codes: 0 success, 1 the operation failed (conflict, lock timeout, bad input),
/// 2 the command line was wrong.
@main
struct CCEKubeconfigd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cce-kubeconfigd",
        abstract: "Keep Huawei Cloud CCE cluster credentials fresh in your kubeconfig.",
        discussion: """
            Every CCE kubeconfig names its entries internalCluster/externalCluster, user and \
            internal/external. cce-kubeconfigd renames them per cluster (N-internal, N-external, \
            user N), marks them as its own, and merges them into your kubeconfig without touching \
            anything else.

            Files: the watch list $XDG_CONFIG_HOME/cce-kubeconfigd/config.yaml, the kubeconfig as \
            kubectl chooses it ($KUBECONFIG, else ~/.kube/config), the service's state \
            $XDG_STATE_HOME/cce-kubeconfigd/state.json. The service runs as the systemd user unit \
            cce-kubeconfigd.service: systemctl --user status|reload cce-kubeconfigd, journalctl \
            --user -u cce-kubeconfigd. Exit status: 0 success, 1 the operation failed, 2 a usage \
            error (status: 1 degraded, 2 expired). See docs/operations.md and docs/security.md.
            """,
        version: "cce-kubeconfigd \(String(cString: cce_build_version())) (commit \(String(cString: cce_build_commit())))",
        subcommands: [
            RunCommand.self, SyncCommand.self, StatusCommand.self, ImportCommand.self, RemoveCommand.self, ListCommand.self,
            CheckConfigCommand.self, DemoCommand.self, CredentialCommand.self,
        ]
    )

    static func main() async {
        // kubectl runs `credential N` for every process; its common case skips the parser.
        if CredentialCommand.answerWithoutParsing(Array(CommandLine.arguments.dropFirst())) { return }
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let failure as CommandFailure {
            Terminal.printError("error: \(failure.message)")
            Glibc.exit(1)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Glibc.exit(0)
            }
            Terminal.printError(fullMessage(for: error))
            Glibc.exit(code == .validationFailure ? 2 : code.rawValue)
        }
    }
}
