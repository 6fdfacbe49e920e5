import CredentialFiles
import Fleet
import Kubeconfig
import KubeconfigOutput
import KubeconfigStore
import RefreshCore
import WatchList

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Carries out ``RefreshMachine``'s kubeconfig actions wherever the watch list sends each
/// cluster, for `sync` and `run` alike: the merged kubeconfig or one file per cluster, with the
/// certificate embedded or in exec-mode credential files (``OutputWriter``).
package struct KubeconfigEffects: Sendable {
    package var writer: OutputWriter

    package init(writer: OutputWriter) {
        self.writer = writer
    }

    /// The entries the watched clusters already have, with the certificate each one uses (for
    /// an exec-mode cluster, the one in its credential files): the certificates decide when
    /// each is due, and the entries are what a heal restores before anything was fetched.
    ///
    /// - Throws: when the merged kubeconfig cannot be read or does not parse.
    package func contents(of config: WatchListConfig) throws(KubeconfigUpdateError) -> KubeconfigContents {
        let merged = try writer.store.readFile()
        var entries: [String: ManagedCluster] = [:]
        for cluster in config.clusters {
            let file: KubeconfigFile? =
                switch config.output {
                case .merge: merged
                case .files: try? KubeconfigStore(path: clusterFilePath(cluster.name, config: config)).readFile()
                }
            guard let file else { continue }
            let certificate = cluster.credentialMode == .exec ? writer.credentials.validity(of: cluster.name) : nil
            entries[cluster.name] = ManagedCluster(existingEntriesOf: cluster.ownership, in: file, execCertificate: certificate)
        }
        return KubeconfigContents(entries: entries)
    }

    /// Plans `request` and, unless `dryRun`, writes it.
    package func write(_ request: WriteRequest, config: WatchListConfig, dryRun: Bool = false, now: Date) -> Result<
        OutputOutcome, KubeconfigUpdateError
    > {
        do {
            var removals = request.removals
            if let pruning = request.pruning {
                let projects = Dictionary(ManagedInventory(try writer.store.readFile()).clusters.map { ($0.watchName, $0.projectID) }) {
                    $1
                }
                removals.formUnion(
                    try writer.managedWatchNames(config: config).filter { name in
                        pruning.mayPrune(Ownership(watchName: name, projectID: projects[name] ?? nil))
                    }
                )
            }
            return .success(try writer.apply(upserts: request.upserts, removals: removals, config: config, dryRun: dryRun, now: now))
        } catch {
            return .failure(error)
        }
    }

    /// Puts back what is missing or stale among `wanted` after someone else wrote the file.
    /// An exec-mode cluster's entries are restored with the plugin, its credential files left as they are.
    package func heal(_ wanted: [ManagedCluster], config: WatchListConfig, now: Date) -> HealResult {
        let exec = Set(config.clusters.filter { $0.credentialMode == .exec }.map(\.name))
        let restored = wanted.map { cluster in
            exec.contains(cluster.owner.watchName) && cluster.credentialMode == .embed
                ? cluster.usingExecPlugin(command: writer.execCommand) : cluster
        }
        switch write(WriteRequest(upserts: restored), config: config, now: now) {
        case .success(let outcome):
            let changes =
                outcome.plan.changes.map(\.description) + outcome.files.filter { $0.result == .written }.map { "rewrote \($0.path)" }
            return .checked(restored: changes)
        case .failure(let error):
            return .unreadable(error.description)
        }
    }

    private func clusterFilePath(_ watchName: String, config: WatchListConfig) -> String {
        let directory = config.kubeconfigDirectory ?? writer.homeDirectory + "/.kube/cce"
        return (directory.hasSuffix("/") ? directory : directory + "/") + watchName + ".yaml"
    }
}

extension WriteResult {
    /// The machine's view of the outcome of `request`'s update.
    package init(_ result: Result<OutputOutcome, KubeconfigUpdateError>, of request: WriteRequest, path: String) {
        switch result {
        case .success(let outcome):
            var notWritten = outcome.failures
            for conflict in outcome.conflicts {
                notWritten[conflict.watchName] = KubeconfigError.conflict(conflict).described(in: path)
            }
            let plans = [outcome.plan] + outcome.files.compactMap(\.plan)
            let changed = request.upserts.filter { managed in
                let name = managed.owner.watchName
                return outcome.credentialFilesWritten.contains(name)
                    || plans.contains { plan in
                        plan.changes.contains { change in managed.entries[change.section]?.contains { $0.name == change.name } ?? false }
                    }
            }.map(\.owner.watchName)
            let pruned = plans.reduce(into: Set<String>()) { $0.formUnion($1.removedWatchNames) }
                .union(outcome.files.filter { $0.result == .removed }.map(\.watchName))
                .subtracting(request.upserts.map(\.owner.watchName))
            self = .completed(conflicts: notWritten, changed: Set(changed), pruned: pruned)
        case .failure(let error):
            self = .failed(error.description)
        }
    }
}
