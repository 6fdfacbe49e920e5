import ArgumentParser
import CredentialFiles
import Kubeconfig
import KubeconfigStore
import RefreshState

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `list`: the clusters cce-kubeconfigd manages in the kubeconfig.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "Show the managed entries: watch name, console name, contexts, servers, client certificate expiry.",
        discussion: "Reads the kubeconfig, and the state file for console names, so it works without a watch list or a running service."
    )

    @OptionGroup var kubeconfig: KubeconfigOptions

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func run() throws {
        let path = kubeconfig.target().path
        let inventory: ManagedInventory
        do {
            let bytes = try kubeconfig.store(at: path).read()
            inventory = ManagedInventory(try KubeconfigFile(bytes: bytes ?? [])).addingExecCertificates(
                from: ExecCredentialSupport.credentialStore()
            )
        } catch let error as KubeconfigError {
            throw CommandFailure(error.described(in: path))
        } catch {
            throw CommandFailure("\(error)")
        }
        // The console names of clusters found by name are in the state file, when there is one.
        let environment = ProcessInfo.processInfo.environment
        let state = StateFile.readForDisplay(environment: environment, homeDirectory: HomeDirectory.current(environment: environment))
        let listing = InventoryListing(inventory: inventory, state: state, now: Date())
        print(json ? listing.json() : listing.table, terminator: json ? "" : "\n")
    }
}
