import ArgumentParser
import CredentialFiles
import Kubeconfig
import RefreshState
import WatchList

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `status`: one row per cluster from the kubeconfig and the state file, with or without a running daemon.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show each watched cluster: contexts, expiry, last and next refresh, last error.",
        discussion:
            "Exit 0 when every certificate is fresh, 1 when some cluster is failing or retrying, 2 when a certificate expired or is missing."
    )

    @OptionGroup var config: ConfigOptions

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let home = HomeDirectory.current(environment: environment)
        // Without a readable config the kubeconfig alone still tells what is managed.
        let watchList = try? config.load()
        let names = Set(watchList?.clusters.map(\.name) ?? [])
        let path = KubeconfigOptions.target(explicitPath: watchList?.kubeconfigPath, holdingAnyOf: names).path
        let inventory: ManagedInventory
        do throws(KubeconfigError) {
            let bytes = FileManager.default.contents(atPath: path).map(Array.init) ?? []
            inventory = ManagedInventory(try KubeconfigFile(bytes: bytes)).addingExecCertificates(
                from: ExecCredentialSupport.credentialStore(environment: environment)
            )
        } catch {
            throw CommandFailure(error.described(in: path))
        }
        let state = StateFile.readForDisplay(environment: environment, homeDirectory: home)
        let report = StatusReport(config: watchList, inventory: inventory, state: state, now: Date())
        print(json ? report.json() : report.table)
        throw ExitCode(report.health.exitCode)
    }
}
