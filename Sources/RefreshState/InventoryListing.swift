import Durations
import Kubeconfig

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What `list` shows: the kubeconfig's managed clusters, each with the cluster's console name
/// from the state file when the daemon or `sync` found it by name. Pure: the kubeconfig's
/// inventory and the state come in as values, read by the caller; without a state file the
/// names are unknown and everything else is shown.
package struct InventoryListing: Sendable {
    /// One managed cluster as `list --json` prints it: the kubeconfig's fields, and `consoleName`.
    package struct Entry: Sendable, Hashable, Encodable {
        package var cluster: ManagedInventory.Cluster
        package var consoleName: String?

        private enum CodingKeys: String, CodingKey {
            case watchName, projectID, clusterID, contexts, user, clientCertificateNotAfter, clientCertificateNotBefore, credentialMode,
                consoleName
        }

        /// The kubeconfig's keys as before (absent when unknown), and `consoleName`, `null` for a
        /// cluster given by id or when no state says.
        package func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(cluster.watchName, forKey: .watchName)
            try container.encodeIfPresent(cluster.projectID, forKey: .projectID)
            try container.encodeIfPresent(cluster.clusterID, forKey: .clusterID)
            try container.encode(cluster.contexts, forKey: .contexts)
            try container.encodeIfPresent(cluster.user, forKey: .user)
            try container.encodeIfPresent(cluster.clientCertificateNotAfter, forKey: .clientCertificateNotAfter)
            try container.encodeIfPresent(cluster.clientCertificateNotBefore, forKey: .clientCertificateNotBefore)
            try container.encodeIfPresent(cluster.credentialMode, forKey: .credentialMode)
            try container.encode(consoleName, forKey: .consoleName)
        }
    }

    /// In the kubeconfig's order.
    package var entries: [Entry]
    /// What expiry times are relative to.
    package var now: Date

    /// - Parameter state: the state file; `nil` when there is none.
    package init(inventory: ManagedInventory, state: RefreshStateSnapshot?, now: Date) {
        entries = inventory.clusters.map { Entry(cluster: $0, consoleName: state?.clusters[$0.watchName]?.consoleName) }
        self.now = now
    }

    /// One line per managed context: watch name, console name, context, server, mode, expiry.
    package var table: String {
        var rows = [["NAME", "CLUSTER", "CONTEXT", "SERVER", "MODE", "CERTIFICATE EXPIRES"]]
        for entry in entries {
            let cluster = entry.cluster
            let consoleName = entry.consoleName ?? "-"
            let expiry = cluster.clientCertificateNotAfter.map(describe) ?? "missing"
            let mode = cluster.credentialMode?.rawValue ?? "-"
            if cluster.contexts.isEmpty {
                rows.append([cluster.watchName, consoleName, "-", "-", mode, expiry])
            }
            for context in cluster.contexts {
                rows.append([cluster.watchName, consoleName, context.name, context.server ?? "-", mode, expiry])
            }
        }
        return TextTable.render(rows)
    }

    /// `list --json`: the entries in the state file's JSON style, ending in a newline.
    package func json() -> String {
        do {
            return String(decoding: try StableJSON.encoder().encode(entries), as: UTF8.self) + "\n"
        } catch {
            preconditionFailure("a listing holds only strings and dates: \(error)")
        }
    }

    /// `2026-12-06T12:50:25Z (in 6d 23h)`, or `(expired 3m ago)`.
    private func describe(_ date: Date) -> String {
        let relative = DurationText.relative(date, to: now)
        return "\(date.formatted(.iso8601)) (\(date > now ? relative : "expired \(relative)"))"
    }
}
