import Kubeconfig
import RefreshCore
import Renewal
import WatchList

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What `status` shows: one row per cluster and the overall health. Pure: the config, the
/// kubeconfig and the state come in as values, read by the caller.
///
/// The kubeconfig is the truth about certificates, since it is what kubectl uses (the state
/// file may lag behind it, or be gone); the state file adds what only the daemon knows: when it
/// last succeeded, why it failed, when it will try next. Either may be missing: without a state
/// file (no daemon ever ran) the rows come from the kubeconfig alone, and without a config the
/// clusters are those the kubeconfig holds.
package struct StatusReport: Sendable, Hashable {
    /// The watched clusters in config order (those given by id, then those by console name, then
    /// the discovered ones the state file holds, by name), or the kubeconfig's without a config.
    package var rows: [StatusRow]
    /// The worst health of the rows; ``StatusHealth/fresh`` when there are none.
    package var health: StatusHealth
    /// The `now` the report was made for.
    package var generatedAt: Date
    /// When the daemon last wrote its state; `nil` without a state file.
    package var stateUpdatedAt: Date?
    /// The list calls the daemon's last listing of the fleet could not make: what they could
    /// have shown may be stale, so the health is at best degraded.
    package var listingFailures: [String]

    /// - Parameters:
    ///   - config: the watch list; `nil` when there is none, or it cannot be read.
    ///   - inventory: what the kubeconfig holds.
    ///   - state: the daemon's state file; `nil` when there is none.
    ///   - now: the wall clock.
    package init(config: WatchListConfig?, inventory: ManagedInventory, state: RefreshStateSnapshot?, now: Date) {
        let policy = RenewalPolicy(maxRefresh: config?.maxRefresh ?? WatchListConfig.defaultMaxRefresh)
        // The watch list as written: clusters by id, then those by console name.
        typealias Listed = (name: String, mode: CredentialMode, consoleName: String?)
        let listed: [Listed] =
            (config?.clusters.map { ($0.name, $0.credentialMode, $0.consoleName) } ?? [])
            + (config?.unresolved.map { ($0.watchName, $0.options.credentialMode, $0.consoleName) } ?? [])
        var names = config == nil ? inventory.clusters.map(\.watchName) : listed.map(\.name)
        if let config, !config.discovery.isEmpty {
            // Discovered clusters are known only from the daemon's last listing, through its state.
            names += (state?.clusters.keys.sorted() ?? []).filter { !names.contains($0) }
        }
        let modes = Dictionary(listed.map { ($0.name, $0.mode) }, uniquingKeysWith: { $1 })
        // A listed cluster's console name is the watch list's (none when given by id); a
        // discovered one's is the name the listing found.
        let consoleNames = Dictionary(listed.map { ($0.name, $0.consoleName) }, uniquingKeysWith: { $1 })
        rows = names.map { name in
            var row = Self.row(
                name: name,
                kubeconfig: inventory.clusters.first { $0.watchName == name },
                state: state?.clusters[name],
                policy: policy,
                now: now
            )
            row.credentialMode = modes[name] ?? inventory.clusters.first { $0.watchName == name }?.credentialMode
            if let written = consoleNames[name] {
                row.consoleName = written
            } else {
                row.consoleName = state?.clusters[name]?.consoleName
            }
            return row
        }
        listingFailures = state?.listingFailures ?? []
        health = max(rows.map(\.health).max() ?? .fresh, listingFailures.isEmpty ? .fresh : .degraded)
        generatedAt = now
        stateUpdatedAt = state?.updatedAt
    }

    private static func row(
        name: String,
        kubeconfig: ManagedInventory.Cluster?,
        state: ClusterState?,
        policy: RenewalPolicy,
        now: Date
    ) -> StatusRow {
        let certificate = kubeconfig.flatMap { cluster -> CertificateValidity? in
            guard let notBefore = cluster.clientCertificateNotBefore, let notAfter = cluster.clientCertificateNotAfter else { return nil }
            return CertificateValidity(notBefore: notBefore, notAfter: notAfter)
        }
        let nextRefresh =
            state?.nextAttempt
            ?? policy.decide(
                certificate: certificate,
                lastRefresh: state?.lastSuccess,
                now: now,
                jitterFraction: certificate.map { RenewalPolicy.jitterFraction(cluster: name, certificate: $0) } ?? 0
            ).renewAt
        let health: StatusHealth =
            if certificate.map({ $0.notAfter <= now }) ?? true {
                .expired
            } else if state?.isFailing == true {
                .degraded
            } else {
                .fresh
            }
        return StatusRow(
            name: name,
            contexts: kubeconfig?.contexts.map(\.name) ?? [],
            certificateNotAfter: certificate?.notAfter,
            lastRefresh: state?.lastSuccess,
            nextRefresh: nextRefresh,
            lastError: state?.lastError,
            lastErrorAt: state?.lastErrorAt,
            consecutiveFailures: state?.consecutiveFailures ?? 0,
            health: health,
            rateLimited: state?.rateLimited
        )
    }
}
