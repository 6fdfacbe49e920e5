import CCE
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Kubeconfig
import KubeconfigStore
import Renewal
import WatchList

/// One refresh pass over the watch list: what `sync` runs, and what the daemon will run for
/// each batch of due clusters.
///
/// It reads the kubeconfig once without the lock to see which certificates are due (design §6),
/// fetches those at most ``Options/maximumConcurrentFetches`` at a time, and merges every
/// result, plus the pruning of watch names that left the config, in ONE kubeconfig update. A
/// cluster that fails keeps its previous entries untouched; a conflicting one is reported and
/// skipped while the others are written.
public struct RefreshPass: Sendable {
    /// What a pass does beyond the defaults.
    public struct Options: Sendable {
        /// Fetch every cluster, due or not.
        public var force: Bool
        /// Only these watch names (nil: all). A partial pass never prunes.
        public var only: Set<String>?
        /// Plan and report, write nothing.
        public var dryRun: Bool
        public var maximumConcurrentFetches: Int

        public init(force: Bool = false, only: Set<String>? = nil, dryRun: Bool = false, maximumConcurrentFetches: Int = 4) {
            self.force = force
            self.only = only
            self.dryRun = dryRun
            self.maximumConcurrentFetches = maximumConcurrentFetches
        }
    }

    public var config: WatchListConfig
    public var fetcher: ClusterFetcher
    public var store: KubeconfigStore
    public var policy: RenewalPolicy

    public init(config: WatchListConfig, fetcher: ClusterFetcher, store: KubeconfigStore) {
        self.config = config
        self.fetcher = fetcher
        self.store = store
        self.policy = RenewalPolicy(maxRefresh: config.maxRefresh)
    }

    /// Runs the pass. Throws only when the kubeconfig itself cannot be read, parsed or written;
    /// per-cluster failures are in the report.
    public func run(_ options: Options, now: Date) async throws(KubeconfigUpdateError) -> RefreshReport {
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
        let inventory = ManagedInventory(file)
        let selected = config.clusters.filter { options.only?.contains($0.name) ?? true }

        var outcomes: [String: RefreshReport.Outcome] = [:]
        var due: [WatchedCluster] = []
        for cluster in selected {
            let current = inventory.clusters.first { $0.watchName == cluster.name }
            let certificate = current.flatMap { record -> CertificateValidity? in
                guard let notBefore = record.clientCertificateNotBefore, let notAfter = record.clientCertificateNotAfter else { return nil }
                return CertificateValidity(notBefore: notBefore, notAfter: notAfter)
            }
            let jitter = certificate.map { RenewalPolicy.jitterFraction(cluster: cluster.name, certificate: $0) } ?? 0
            let decision = policy.decide(certificate: certificate, lastRefresh: nil, now: now, jitterFraction: jitter)
            if options.force || decision.renewAt <= now {
                due.append(cluster)
            } else {
                outcomes[cluster.name] = .fresh(until: decision.renewAt, reason: decision.reason.description)
            }
        }

        let fetched = await fetch(due, limit: max(1, options.maximumConcurrentFetches))
        var upserts: [ManagedCluster] = []
        for cluster in due {
            switch fetched[cluster.name] {
            case .success(let managed): upserts.append(managed)
            case .failure(let failure): outcomes[cluster.name] = .failed(failure.message)
            case nil: outcomes[cluster.name] = .failed("no answer")
            }
        }

        let configured = Set(config.clusters.map(\.name))
        let removals = options.only == nil ? Set(file.managedWatchNames).subtracting(configured) : []
        let update = KubeconfigUpdate(store: store, request: MergeRequest(upserts: upserts, removals: removals))
        let result = try update.run(dryRun: options.dryRun)
        for conflict in result.plan.conflicts {
            outcomes[conflict.watchName] = .failed(KubeconfigError.conflict(conflict).described(in: store.path))
        }
        for managed in upserts where outcomes[managed.owner.watchName] == nil {
            let changed = result.plan.changes.contains { change in
                managed.entries[change.section]?.contains { $0.name == change.name } ?? false
            }
            outcomes[managed.owner.watchName] = .refreshed(validUntil: managed.clientCertificate.notAfter, changed: changed)
        }
        return RefreshReport(
            clusters: selected.map { ($0.name, outcomes[$0.name] ?? .failed("not evaluated")) },
            pruned: removals.sorted(),
            plan: result.plan,
            wrote: result.wrote
        )
    }

    /// Fetches `clusters` with at most `limit` requests in flight; one cluster's failure never stops another.
    private func fetch(_ clusters: [WatchedCluster], limit: Int) async -> [String: Result<ManagedCluster, FetchFailure>] {
        await withTaskGroup(of: (String, Result<ManagedCluster, FetchFailure>).self) { group in
            var results: [String: Result<ManagedCluster, FetchFailure>] = [:]
            var pending = clusters[...]
            func startNext() {
                guard let cluster = pending.popFirst() else { return }
                group.addTask { (cluster.name, await fetcher.fetch(cluster, in: config)) }
            }
            for _ in 0..<limit { startNext() }
            for await (name, result) in group {
                results[name] = result
                startNext()
            }
            return results
        }
    }

}

/// What a pass did, per cluster.
public struct RefreshReport: Sendable {
    public enum Outcome: Sendable, Hashable {
        /// Fetched; `changed` is false when the kubeconfig already held exactly this.
        case refreshed(validUntil: Date, changed: Bool)
        /// Not due yet.
        case fresh(until: Date, reason: String)
        /// Not fetched or not written; the previous entries are untouched.
        case failed(String)
    }

    /// Every selected cluster, in config order.
    public var clusters: [(name: String, outcome: Outcome)]
    /// Watch names whose entries were removed because they left the config.
    public var pruned: [String]
    public var plan: MergePlan
    public var wrote: Bool

    public var allSucceeded: Bool {
        clusters.allSatisfy { if case .failed = $0.outcome { false } else { true } }
    }
}
