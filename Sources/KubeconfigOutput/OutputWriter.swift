import CredentialFiles
import Glibc
import Kubeconfig
import KubeconfigStore
import WatchList

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Writes one batch of fetched clusters and removals wherever the watch list says they go: the
/// credential files of exec-mode clusters, the merged kubeconfig, and the per-cluster
/// kubeconfigs of `output: files`. What `sync`, `run` and `credential` call instead of a bare
/// ``KubeconfigUpdate``.
///
/// Contract of ``apply(upserts:removals:config:dryRun:now:)``, in this order:
/// 1. Each upsert takes its cluster's `credential_mode` (a name the config does not know keeps
///    `embed`). For `exec` its certificate and key are written to its credential files first,
///    checked (key matches, not expired) and atomically, and its user entry becomes the exec
///    plugin, so the kubeconfig holds no key and does not change when only the certificate did.
///    A cluster whose files cannot be written is left out of the batch (its previous entries and
///    files stay) and reported in ``OutputOutcome/failures``; the others go on.
/// 2. `output: merge`: ONE update of the merged kubeconfig with every upsert and removal, as
///    ``KubeconfigUpdate`` does it (lock, atomic replace, unchanged bytes never rewritten,
///    conflicting clusters reported in the plan and skipped). `output: files`: the merged
///    kubeconfig only loses the removed clusters and those now written to files.
/// 3. `output: files`: one update per cluster of `<kubeconfig_dir>/<watch name>.yaml` with the
///    same rules; a removed cluster's entries are removed from its file, and the file itself when
///    nothing else is left in it. No other file in the directory is ever opened.
/// 4. After the kubeconfigs are written: removed clusters, and clusters written in `embed` mode,
///    lose their credential files (the key now lives in one place only).
///
/// With `dryRun` nothing is written anywhere; the plans say what would change.
/// Throws only when the merged kubeconfig cannot be read, parsed or written; everything per
/// cluster is in the outcome.
package struct OutputWriter: Sendable {
    /// The merged kubeconfig.
    package var store: KubeconfigStore
    package var credentials: CredentialStore
    /// The absolute path written as the exec plugin's `command`: the plugin beside this
    /// executable when installed, else this executable.
    package var execCommand: String
    /// For `kubeconfig_dir`'s default, `~/.kube/cce`, when the config was made in code without one.
    package var homeDirectory: String
    /// What an exec-mode cluster's certificate is fetched for, and the files that could point
    /// its name elsewhere: kept in its credential record, so that a certificate is never handed
    /// to a name that now means another cluster.
    package var origin: @Sendable (WatchedCluster, WatchListConfig) -> CredentialOrigin

    package init(
        store: KubeconfigStore,
        credentials: CredentialStore,
        execCommand: String,
        homeDirectory: String,
        origin: @escaping @Sendable (WatchedCluster, WatchListConfig) -> CredentialOrigin = { _, _ in .unknown }
    ) {
        self.store = store
        self.credentials = credentials
        self.execCommand = execCommand
        self.homeDirectory = homeDirectory
        self.origin = origin
    }

    /// The batch, each upsert in the mode its config entry gives.
    @discardableResult
    package func apply(
        upserts: [ManagedCluster],
        removals: Set<String>,
        config: WatchListConfig,
        dryRun: Bool,
        now: Date
    ) throws(KubeconfigUpdateError) -> OutputOutcome {
        let watched = Dictionary(config.clusters.map { ($0.name, $0) }, uniquingKeysWith: { $1 })
        let upserted = upserts.map { ($0, watched[$0.owner.watchName]?.credentialMode ?? .embed) }
        var origins: [String: CredentialOrigin] = [:]
        for (cluster, mode) in upserted where mode == .exec {
            origins[cluster.owner.watchName] = watched[cluster.owner.watchName].map { origin($0, config) }
        }
        return try apply(
            OutputBatch(
                upserts: upserted,
                removals: removals,
                output: config.output,
                kubeconfigDirectory: config.kubeconfigDirectory ?? Self.join(homeDirectory, ".kube/cce"),
                origins: origins
            ),
            dryRun: dryRun,
            now: now
        )
    }

    /// The batch with each upsert's mode given: for `import`, which has no watch list.
    @discardableResult
    package func apply(_ batch: OutputBatch, dryRun: Bool, now: Date) throws(KubeconfigUpdateError) -> OutputOutcome {
        var failures: [String: String] = [:]
        var written: [ManagedCluster] = []
        var credentialFilesWritten: [String] = []
        for (cluster, mode) in batch.upserts {
            let name = cluster.owner.watchName
            guard mode == .exec, cluster.credentialMode == .embed else {
                written.append(cluster)
                continue
            }
            guard let credential = cluster.embeddedCredential else {
                failures[name] =
                    "cluster \"\(name)\": the fetched entries hold no client certificate and key to write to its credential files"
                continue
            }
            if !dryRun {
                do throws(CredentialFileError) {
                    try credentials.write(credential, for: name, origin: batch.origins[name] ?? .unknown, now: now)
                } catch {
                    failures[name] = error.description
                    continue
                }
                credentialFilesWritten.append(name)
            }
            written.append(cluster.usingExecPlugin(command: execCommand))
        }

        let mergedRequest: MergeRequest =
            switch batch.output {
            case .merge: MergeRequest(upserts: written, removals: batch.removals)
            case .files: MergeRequest(removals: batch.removals.union(written.map(\.owner.watchName)))
            }
        let merged = try KubeconfigUpdate(store: store, request: mergedRequest).run(dryRun: dryRun)
        var conflicts = Set(merged.plan.conflicts.map(\.watchName))

        var files: [ClusterFileOutcome] = []
        if batch.output == .files {
            for cluster in written {
                let path = Self.join(batch.kubeconfigDirectory, "\(cluster.owner.watchName).yaml")
                // The file is wholly ours, so `KUBECONFIG=<it> kubectl` should work without --context.
                let request = MergeRequest(upserts: [cluster], currentContext: cluster.defaultContextName)
                files.append(updateFile(path, watchName: cluster.owner.watchName, request: request, dryRun: dryRun))
            }
            for name in batch.removals.sorted() {
                let path = Self.join(batch.kubeconfigDirectory, "\(name).yaml")
                guard FileManager.default.fileExists(atPath: path) else { continue }
                // A file without entries of `name` (someone else's `name.yaml`) is left out: untouched, and not reported.
                let removal = updateFile(
                    path,
                    watchName: name,
                    request: MergeRequest(removals: [name]),
                    dryRun: dryRun,
                    removingWhenEmpty: true
                )
                if removal.result != .unchanged { files.append(removal) }
            }
            for file in files {
                if case .failed(let message) = file.result { failures[file.watchName] = message }
                conflicts.formUnion(file.plan?.conflicts.map(\.watchName) ?? [])
            }
        }

        var credentialFilesRemoved: [String] = []
        if !dryRun {
            let embedded = batch.upserts.filter { $0.1 == .embed && $0.0.credentialMode == .embed }.map(\.0.owner.watchName).filter {
                !conflicts.contains($0) && failures[$0] == nil
            }
            for name in Set(embedded).union(batch.removals).sorted() {
                do throws(CredentialFileError) {
                    if try credentials.remove(name) { credentialFilesRemoved.append(name) }
                } catch {
                    failures[name] = error.description
                }
            }
        }
        return OutputOutcome(
            merged: merged,
            files: files,
            credentialFilesWritten: credentialFilesWritten,
            credentialFilesRemoved: credentialFilesRemoved,
            failures: failures
        )
    }

    /// Every watch name with entries in the merged kubeconfig or a file of `kubeconfig_dir`
    /// named after it: what is managed, from which the caller takes what to prune.
    package func managedWatchNames(config: WatchListConfig) throws(KubeconfigUpdateError) -> Set<String> {
        var names = Set(try store.readFile().managedWatchNames)
        let directory = config.kubeconfigDirectory ?? Self.join(homeDirectory, ".kube/cce")
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] where entry.hasSuffix(".yaml") {
            let name = String(entry.dropLast(5))
            guard WatchName.isValid(name), let file = try? KubeconfigStore(path: Self.join(directory, entry)).readFile(),
                file.managedWatchNames.contains(name)
            else { continue }
            names.insert(name)
        }
        return names
    }

    private func updateFile(
        _ path: String,
        watchName: String,
        request: MergeRequest,
        dryRun: Bool,
        removingWhenEmpty: Bool = false
    ) -> ClusterFileOutcome {
        let fileStore = KubeconfigStore(path: path, lockTimeout: store.lockTimeout)
        let outcome: KubeconfigUpdate.Outcome
        do throws(KubeconfigUpdateError) {
            outcome = try KubeconfigUpdate(store: fileStore, request: request).run(dryRun: dryRun)
        } catch {
            return ClusterFileOutcome(watchName: watchName, path: path, plan: nil, result: .failed(error.description))
        }
        guard removingWhenEmpty, !outcome.plan.isEmpty || dryRun else {
            return ClusterFileOutcome(watchName: watchName, path: path, plan: outcome.plan, result: outcome.wrote ? .written : .unchanged)
        }
        // Only a file that holds nothing but what this cluster had goes; foreign entries keep it.
        guard let remaining = try? KubeconfigFile(bytes: outcome.plan.result),
            KubeconfigSection.allCases.allSatisfy({ remaining.entries($0).isEmpty })
        else {
            return ClusterFileOutcome(watchName: watchName, path: path, plan: outcome.plan, result: outcome.wrote ? .written : .unchanged)
        }
        if !dryRun, unlink(path) != 0, errno != ENOENT {
            return ClusterFileOutcome(
                watchName: watchName,
                path: path,
                plan: outcome.plan,
                result: .failed("cannot remove \(path): \(FileErrorReason.text(for: errno)).")
            )
        }
        return ClusterFileOutcome(watchName: watchName, path: path, plan: outcome.plan, result: .removed)
    }

    static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }
}

/// One batch for ``OutputWriter/apply(_:dryRun:now:)``: each upsert with its credential mode.
package struct OutputBatch: Sendable {
    package var upserts: [(ManagedCluster, CredentialMode)]
    package var removals: Set<String>
    package var output: OutputMode
    /// Where `output: files` writes, `~/` already expanded.
    package var kubeconfigDirectory: String
    /// Per exec-mode watch name, what its certificate was fetched for (none known: ``CredentialOrigin/unknown``).
    package var origins: [String: CredentialOrigin]

    package init(
        upserts: [(ManagedCluster, CredentialMode)],
        removals: Set<String> = [],
        output: OutputMode = .merge,
        kubeconfigDirectory: String,
        origins: [String: CredentialOrigin] = [:]
    ) {
        self.upserts = upserts
        self.removals = removals
        self.output = output
        self.kubeconfigDirectory = kubeconfigDirectory
        self.origins = origins
    }
}

/// What one ``OutputWriter`` batch did.
package struct OutputOutcome: Sendable {
    /// The merged kubeconfig's update: its plan (changes, conflicts, the redacted diff's source) and whether it was written.
    package var merged: KubeconfigUpdate.Outcome
    /// `output: files`: one per cluster file written, left alone or removed.
    package var files: [ClusterFileOutcome]
    /// Watch names whose credential files were written (a file already holding the bytes is not rewritten).
    package var credentialFilesWritten: [String]
    /// Watch names whose credential files were removed (removed from the config, or now `embed`).
    package var credentialFilesRemoved: [String]
    /// Per watch name, why it was not (entirely) written: one sentence each. Conflicts are in the plans.
    package var failures: [String: String]

    /// The merged kubeconfig's plan.
    package var plan: MergePlan { merged.plan }
    /// Whether any kubeconfig (merged or per cluster) was written or removed.
    package var wrote: Bool { merged.wrote || files.contains { $0.result == .written || $0.result == .removed } }
    /// Every cluster not written because foreign entries hold its names, in the merged file or its own.
    package var conflicts: [MergeConflict] { merged.plan.conflicts + files.flatMap { $0.plan?.conflicts ?? [] } }
}

/// One per-cluster kubeconfig of `output: files`.
package struct ClusterFileOutcome: Sendable {
    package enum Result: Sendable, Hashable {
        case written, unchanged, removed
        case failed(String)
    }

    package var watchName: String
    package var path: String
    /// `nil` when the file could not be read or parsed.
    package var plan: MergePlan?
    package var result: Result
}
