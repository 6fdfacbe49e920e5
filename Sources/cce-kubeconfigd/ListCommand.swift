import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Durations
import Kubeconfig
import KubeconfigStore
import RefreshState

/// `list`: the clusters cce-kubeconfigd manages in the kubeconfig.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "Show the managed entries: watch name, contexts, servers, client certificate expiry.",
        discussion: "Reads only the kubeconfig, so it works without a watch list or a running service."
    )

    @OptionGroup var kubeconfig: KubeconfigOptions

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func run() throws {
        let path = kubeconfig.target().path
        let inventory: ManagedInventory
        do {
            let bytes = try kubeconfig.store(at: path).read()
            inventory = ManagedInventory(try KubeconfigFile(bytes: bytes ?? []))
        } catch let error as KubeconfigError {
            throw CommandFailure(error.described(in: path))
        } catch {
            throw CommandFailure("\(error)")
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            encoder.dateEncodingStrategy = .iso8601
            print(String(decoding: try encoder.encode(inventory.clusters), as: UTF8.self))
        } else {
            print(ManagedInventoryTable(inventory: inventory, now: Date()).text)
        }
    }
}

/// The `list` table: one line per managed context.
struct ManagedInventoryTable {
    var inventory: ManagedInventory
    var now: Date

    var text: String {
        var rows = [["NAME", "CONTEXT", "SERVER", "CERTIFICATE EXPIRES"]]
        for cluster in inventory.clusters {
            let expiry = cluster.clientCertificateNotAfter.map(describe) ?? "missing"
            if cluster.contexts.isEmpty {
                rows.append([cluster.watchName, "-", "-", expiry])
            }
            for context in cluster.contexts {
                rows.append([cluster.watchName, context.name, context.server ?? "-", expiry])
            }
        }
        return TextTable.render(rows)
    }

    /// `2026-12-06T12:50:25Z (in 6d 23h)`, or `(expired 3m ago)`.
    private func describe(_ date: Date) -> String {
        let relative = DurationText.relative(date, to: now)
        return "\(date.formatted(.iso8601)) (\(date > now ? relative : "expired \(relative)"))"
    }
}
