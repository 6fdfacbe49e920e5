import Durations
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

/// One refresh pass over the watch list, what `sync` runs: ``RefreshMachine`` in its pass mode,
/// run until idle.
///
/// The kubeconfig is read once without the lock to see which certificates are due; those are
/// fetched at most ``Options/maximumConcurrentFetches`` at a time (and no faster than the API
/// gateway allows: the pass waits for the pacer of a throttled credential set), and every result, plus the
/// pruning of watch names that left the config, is merged in ONE kubeconfig update. A cluster
/// that fails keeps its previous entries untouched; a conflicting one is reported and skipped
/// while the others are written.
package struct RefreshPass: Sendable {
    /// What a pass does beyond the defaults.
    package struct Options: Sendable {
        /// Fetch every cluster, due or not.
        package var force: Bool
        /// Only these watch names (nil: all). A partial pass never prunes.
        package var only: Set<String>?
        /// Plan and report, write nothing.
        package var dryRun: Bool
        package var maximumConcurrentFetches: Int

        package init(force: Bool = false, only: Set<String>? = nil, dryRun: Bool = false, maximumConcurrentFetches: Int = 4) {
            self.force = force
            self.only = only
            self.dryRun = dryRun
            self.maximumConcurrentFetches = maximumConcurrentFetches
        }
    }

    /// The watch list, its clusters resolved.
    package var config: WatchListConfig
    /// What the listing that resolved ``config`` lets go, when there was one.
    package var listing: FleetListing?
    /// Fetches a cluster, honouring and adding to the failure record every process shares.
    package var fetcher: FailureRecordGate
    /// Where the results go: the kubeconfig, per-cluster files, exec-mode credential files.
    package var writer: OutputWriter

    package init(config: WatchListConfig, listing: FleetListing? = nil, fetcher: FailureRecordGate, writer: OutputWriter) {
        self.config = config
        self.listing = listing
        self.fetcher = fetcher
        self.writer = writer
    }

    /// Runs the pass. Throws only when the kubeconfig itself cannot be read, parsed or written;
    /// per-cluster failures are in the report.
    ///
    /// - Parameters:
    ///   - persisted: the clusters' states as a previous `sync` or `run` left them: `max_refresh`
    ///     counts from their last success.
    ///   - clock: the wall clock, read at every event.
    ///   - progress: told once per credential set when the API gateway first throttles it, in one
    ///     sentence: the pass then waits for the set's rate limit and may take minutes.
    package func run(
        _ options: Options,
        persisted: [String: ClusterState] = [:],
        clock: @Sendable () -> Date = { Date() },
        progress: (String) -> Void = { _ in }
    ) async throws(KubeconfigUpdateError) -> RefreshReport {
        let effects = KubeconfigEffects(writer: writer)
        let contents = try effects.contents(of: config)
        var machineOptions = RefreshMachine.Options()
        machineOptions.maximumInFlight = max(1, options.maximumConcurrentFetches)
        var machine = RefreshMachine(
            config: config,
            mode: .pass(force: options.force, only: options.only),
            options: machineOptions,
            fleetPruning: listing?.pruning,
            randomFraction: { Double.random(in: 0..<1) }
        )
        let config = config
        let fetcher = fetcher
        let selectedCount = config.clusters.count { options.only?.contains($0.name) ?? true }
        var writes: [OutputOutcome] = []
        var pruned: Set<String> = []
        var forgotten: Set<String> = []
        var writeError: KubeconfigUpdateError?

        await withTaskGroup(of: PassTask.self) { group in
            var events: [RefreshEvent] = [.started(contents, persisted: persisted, clocks: nil)]
            var running = 0
            // The timers a pass arms are its pacers' (the gateway throttled a credential set);
            // each sleeps in a task, and the number tells a moved timer's old task from its new one.
            var armed: [RefreshTimer: Int] = [:]
            var timerCount = 0
            var answered: Set<String> = []
            var throttledSets: Set<String> = []
            while true {
                while !events.isEmpty {
                    for action in machine.handle(events.removeFirst(), at: clock()) {
                        switch action {
                        case .fetch(let cluster):
                            running += 1
                            group.addTask { .fetched(cluster.name, await fetcher.fetch(cluster, in: config)) }
                        case .write(let request):
                            let result = effects.write(request, config: config, dryRun: options.dryRun, now: clock())
                            switch result {
                            case .success(let outcome): writes.append(outcome)
                            case .failure(let error): writeError = error
                            }
                            let written = WriteResult(result, of: request, path: writer.store.path)
                            if case .completed(_, _, let names) = written { pruned = names }
                            events.append(.writeFinished(written))
                        case .arm(let timer, let date):
                            timerCount += 1
                            armed[timer] = timerCount
                            let number = timerCount
                            let delay = max(0, date.timeIntervalSince(clock()))
                            group.addTask {
                                do {
                                    try await Task.sleep(for: .seconds(delay))
                                    return .timerFired(timer, number: number)
                                } catch {
                                    return .abandoned
                                }
                            }
                        case .cancel(let timer):
                            armed[timer] = nil
                        case .forgetResolution(let clusterID):
                            forgotten.insert(clusterID)
                        case .cancelFetch, .heal, .resolveFleet, .publish, .log:
                            break
                        }
                    }
                }
                guard running > 0 || (!machine.isIdle && !armed.isEmpty), let task = await group.next() else { break }
                switch task {
                case .fetched(let name, let result):
                    running -= 1
                    if case .failure(let failure) = result, case .throttled = failure.kind {
                        let credentials = config.clusters.first { $0.name == name }?.credentials ?? ""
                        if throttledSets.insert(credentials).inserted {
                            progress(
                                Self.throttleNotice(credentials: credentials, failure: failure, remaining: selectedCount - answered.count)
                            )
                        }
                    } else {
                        answered.insert(name)
                    }
                    events.append(.fetchFinished(watchName: name, result))
                case .timerFired(let timer, let number):
                    guard armed[timer] == number else { continue }
                    armed[timer] = nil
                    events.append(.timerFired(timer))
                case .abandoned:
                    continue
                }
            }
            group.cancelAll()
        }
        if let writeError { throw writeError }

        let plan = writes.last?.plan
        let selected = config.clusters.filter { options.only?.contains($0.name) ?? true }
        return RefreshReport(
            clusters: selected.map { ($0.name, machine.passOutcomes[$0.name] ?? .failed("not evaluated")) },
            pruned: pruned.sorted(),
            plan: plan,
            wrote: writes.contains { $0.wrote },
            outcome: writes.last,
            states: machine.states,
            staleResolutions: forgotten
        )
    }
}

extension RefreshPass {
    /// `credential set "default" is throttled by the API gateway (10 calls per 1m); 190 clusters
    /// left, about 19m at that rate`.
    static func throttleNotice(credentials: String, failure: FetchFailure, remaining: Int) -> String {
        let head = "credential set \"\(credentials)\" is throttled by the API gateway"
        let left = remaining == 1 ? "1 cluster left" : "\(remaining) clusters left"
        guard let stated = failure.statedRateLimit else {
            return "\(head); \(left), fetched as fast as it allows"
        }
        let windows = max(0, (remaining + stated.calls - 1) / stated.calls - 1)
        let rate = "\(stated.calls) calls per \(DurationText.readable(stated.window))"
        let eta = windows > 0 ? ", about \(DurationText.readable(stated.window * windows)) at that rate" : ""
        return "\(head) (\(rate)); \(left)\(eta)"
    }
}

/// What one child task of a pass ended with.
private enum PassTask: Sendable {
    case fetched(String, Result<ManagedCluster, FetchFailure>)
    case timerFired(RefreshTimer, number: Int)
    /// A timer's sleep was cancelled: the pass ended before it.
    case abandoned
}

/// What a pass did, per cluster.
package struct RefreshReport: Sendable {
    package typealias Outcome = RefreshMachine.PassOutcome

    /// Every selected cluster, in config order.
    package var clusters: [(name: String, outcome: Outcome)]
    /// Watch names whose entries were removed because they left the config.
    package var pruned: [String]
    /// The update planned, when there was one.
    package var plan: MergePlan?
    package var wrote: Bool
    /// Everything the update did, when there was one: per-cluster files, credential files.
    package var outcome: OutputOutcome?
    /// Every watched cluster's state after the pass: what the state file keeps.
    package var states: [(watchName: String, state: ClusterState)]
    /// Ids of clusters found by their console names that answered 404: to be forgotten, so
    /// that the next pass looks their names up again.
    package var staleResolutions: Set<String>

    package var allSucceeded: Bool {
        clusters.allSatisfy { if case .failed = $0.outcome { false } else { true } }
    }
}
