import Kubeconfig
import KubeconfigStore
import RefreshCore
import WatchList

/// Carries out ``RefreshMachine``'s kubeconfig actions against the file, for `sync` and `run`
/// alike: what the machine needs to know of the file, its writes and its heals.
public struct KubeconfigEffects: Sendable {
    public var store: KubeconfigStore

    public init(store: KubeconfigStore) {
        self.store = store
    }

    /// The entries the watched clusters already have: their certificates decide when each is
    /// due, and they are what a heal restores before anything was fetched.
    ///
    /// - Throws: when the file cannot be read or does not parse.
    public func contents(of clusters: [WatchedCluster]) throws(KubeconfigUpdateError) -> KubeconfigContents {
        let file: KubeconfigFile
        do {
            file = try KubeconfigFile(bytes: store.read() ?? [])
        } catch let error as KubeconfigStoreError {
            throw .store(error)
        } catch let error as KubeconfigError {
            throw .kubeconfig(error, path: store.path)
        } catch {
            preconditionFailure("reading the kubeconfig throws only the store's and the file's errors: \(error)")
        }
        var entries: [String: ManagedCluster] = [:]
        for cluster in clusters {
            entries[cluster.name] = ManagedCluster(existingEntriesOf: cluster.ownership, in: file)
        }
        return KubeconfigContents(entries: entries)
    }

    /// Plans `request` and, unless `dryRun`, writes it in one update: the plan, or why nothing
    /// could be written.
    public func write(_ request: WriteRequest, dryRun: Bool = false) -> Result<KubeconfigUpdate.Outcome, KubeconfigUpdateError> {
        let update = KubeconfigUpdate(
            store: store,
            request: MergeRequest(upserts: request.upserts, removals: request.removals, keeping: request.keeping)
        )
        do {
            return .success(try update.run(dryRun: dryRun))
        } catch {
            return .failure(error)
        }
    }

    /// Puts back what is missing or stale among `wanted` after someone else wrote the file.
    public func heal(_ wanted: [ManagedCluster]) -> HealResult {
        switch write(WriteRequest(upserts: wanted)) {
        case .success(let outcome):
            .checked(restored: outcome.wrote ? outcome.plan.changes.map(\.description) : [])
        case .failure(let error):
            .unreadable(error.description)
        }
    }
}

extension WriteResult {
    /// The machine's view of the outcome of `request`'s update.
    public init(_ result: Result<KubeconfigUpdate.Outcome, KubeconfigUpdateError>, of request: WriteRequest, path: String) {
        switch result {
        case .success(let outcome):
            var conflicts: [String: String] = [:]
            for conflict in outcome.plan.conflicts {
                conflicts[conflict.watchName] = KubeconfigError.conflict(conflict).described(in: path)
            }
            let changed = request.upserts.filter { managed in
                outcome.plan.changes.contains { change in managed.entries[change.section]?.contains { $0.name == change.name } ?? false }
            }.map(\.owner.watchName)
            self = .completed(conflicts: conflicts, changed: Set(changed), pruned: outcome.plan.removedWatchNames)
        case .failure(let error):
            self = .failed(error.description)
        }
    }
}
