import CGlibcMalloc
import CredentialFiles
import Dispatch
import Fleet
import Kubeconfig
import KubeconfigOutput
import KubeconfigStore
import Logging
import Refresh
import RefreshCore
import Renewal
import WatchList

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// The long-running refresh loop behind `run` and `demo`: the shell around ``RefreshMachine``.
///
/// It only turns what happens (timers, fetch results, inotify, the 60 s safety tick, signals
/// relayed by the command) into events, and carries out the actions the machine answers with:
/// every decision is the machine's. Timers are `DispatchSourceTimer`s on the wall clock
/// (`DispatchWallTime`: the monotonic clock stops while a laptop sleeps).
///
/// - Important: all mutable state is confined to `queue`; every entry point hops onto it. That is
///   what makes the `@unchecked Sendable` sound: timers, fetch completions and file-watch events
///   are delivered there.
package final class RefreshDaemon: @unchecked Sendable {
    /// What the daemon needs from outside.
    package struct Dependencies: Sendable {
        /// Fetches a cluster, honouring and adding to the failure record every process shares.
        package var fetcher: FailureRecordGate
        /// Where results go: the kubeconfig, per-cluster files, exec-mode credential files.
        package var writer: OutputWriter
        package var logger: Logger
        /// The states a previous run left (the state file), read once at start.
        package var persisted: [String: ClusterState]
        /// Lists the fleet for a watch list that names or discovers its clusters; it starts from
        /// the ids the state file remembered.
        package var fleet: FleetListingResolver
        /// Called on the daemon's queue whenever the clusters' states or the fleet's resolutions
        /// changed (for `STATUS=` and the state file).
        package var published: @Sendable (Publication) -> Void

        package init(
            fetcher: FailureRecordGate,
            writer: OutputWriter,
            logger: Logger,
            persisted: [String: ClusterState] = [:],
            fleet: FleetListingResolver,
            published: @escaping @Sendable (Publication) -> Void
        ) {
            self.fetcher = fetcher
            self.writer = writer
            self.logger = logger
            self.persisted = persisted
            self.fleet = fleet
            self.published = published
        }
    }

    /// What the daemon publishes after a change.
    package struct Publication: Sendable {
        /// Every watched cluster's state, in watch-list order: for the state file.
        package var states: [(watchName: String, state: ClusterState)]
        /// systemd's `STATUS=`.
        package var statusLine: String
        /// The ids found by name: for the state file, so that a restart fetches without listing.
        package var resolutions: ResolutionCache
        /// The list calls the last listing could not make: for the state file, so `status` shows them.
        package var listingFailures: [String]
    }

    package let queue = DispatchQueue(label: "cce-kubeconfigd.refresh")
    private let dependencies: Dependencies
    private let effects: KubeconfigEffects
    private var machine: RefreshMachine
    /// The armed timers, each with the number it was armed as: a timer that fires just as it is
    /// moved does not count for its replacement.
    private var timers: [RefreshTimer: (number: Int, source: DispatchSourceTimer)] = [:]
    private var timerCount = 0
    /// The running fetches, each with the number it was started as: a late answer of an
    /// abandoned fetch is not taken for the answer of a newer one.
    private var fetches: [String: (number: Int, task: Task<Void, Never>)] = [:]
    private var fetchCount = 0
    /// The kubeconfig as the last heal found it, holding every wanted entry as it should: a
    /// safety tick that finds the same file (and the same clusters wanted) need not parse it again.
    private var checkedKubeconfig: FileStamp?
    private var checkedWatchNames: [String] = []
    /// The watch list as written, names and `discover:` rules unresolved: what a listing starts from.
    private var source: WatchListConfig
    /// A listing runs; `listAgain` asks for one more when it ends (a request came meanwhile).
    private var listing = false
    private var listAgain = false
    /// The resolutions last published: a listing that found new ids is published even when no
    /// cluster's state changed.
    private var publishedResolutions: ResolutionCache?
    /// Each credential set's fingerprint at the last tick: one that changed (a secret file
    /// written, say) sends the set's clusters that failed without sending anything on their way.
    private var credentialFingerprints: [String: String] = [:]
    private var safetyTick: DispatchSourceTimer?
    private var watcher: KubeconfigWatcher?
    private var renewalRequests: RenewalRequestWatcher?
    private var stopped = false

    /// - Parameters:
    ///   - source: the watch list as written.
    ///   - resolved: `source` with its clusters found, and the listing that found them.
    package init(source: WatchListConfig, resolved: FleetListingResolver.Resolved, dependencies: Dependencies) {
        self.dependencies = dependencies
        self.source = source
        self.effects = KubeconfigEffects(writer: dependencies.writer)
        self.machine = RefreshMachine(
            config: resolved.config,
            fleetPruning: resolved.listing?.pruning,
            listingFailures: resolved.listing?.failures ?? [],
            randomFraction: { Double.random(in: 0..<1) }
        )
    }

    // MARK: - Entry points (any thread)

    /// Reads the kubeconfig, schedules every cluster from the certificates already there (a
    /// restart fetches nothing that is fresh), fetches what is due, and starts watching.
    /// `ready` is called once the first evaluation is done, without waiting for the network.
    package func start(ready: @escaping @Sendable () -> Void) {
        queue.async {
            let contents = self.readContents(of: self.machine.config)
            self.watchKubeconfig()
            self.credentialFingerprints = self.dependencies.fetcher.fetcher.credentialFingerprints(of: self.machine.config)
            self.startSafetyTick()
            self.send(.started(contents, persisted: self.dependencies.persisted, clocks: .now()))
            ready()
        }
    }

    /// Applies a new, already validated config: new clusters are fetched now, removed ones
    /// pruned, changed ones re-evaluated.
    package func reload(_ config: WatchListConfig) {
        Task {
            let resolved = await dependencies.fleet.resolve(config)
            queue.async {
                self.source = config
                self.send(.configReloaded(resolved.config, self.readContents(of: resolved.config), listing: resolved.listing))
            }
        }
    }

    /// Keeps the current config after a new one failed to validate, and says so in `STATUS=`.
    package func refuseReload(_ reason: String) {
        queue.async { self.send(.configRefused(reason)) }
    }

    /// Renews every cluster now, whatever its certificate or backoff, in this process and in the
    /// shared failure record (SIGUSR1).
    package func renewAll() {
        queue.async {
            do {
                try self.dependencies.fetcher.forgetBackoff(of: self.machine.config.clusters)
            } catch {
                self.dependencies.logger.warning("cannot use the failure record", metadata: ["error": "\(error)"])
            }
            self.send(.renewAllRequested)
        }
    }

    /// Takes the renewals `credential N` asks for while this service runs (its certificate
    /// expired or missing): each one renews that cluster as soon as its failures allow.
    /// `false` when the requests directory cannot be watched.
    package func watchRenewalRequests(_ requests: RenewalRequests) -> Bool {
        queue.sync {
            renewalRequests = RenewalRequestWatcher(requests, queue: queue) { [weak self] name in
                self?.send(.renewRequested(watchName: name))
            }
            return renewalRequests != nil
        }
    }

    /// Stops timers and fetches, writes what was already fetched, then calls `completion`.
    /// Nothing runs after it.
    package func stop(completion: @escaping @Sendable () -> Void) {
        queue.async {
            self.safetyTick?.cancel()
            self.watcher?.cancel()
            self.renewalRequests?.cancel()
            for timer in self.timers.values { timer.source.cancel() }
            self.timers.removeAll()
            self.send(.stopRequested)
            for fetch in self.fetches.values { fetch.task.cancel() }
            self.fetches.removeAll()
            self.stopped = true
            completion()
        }
    }

    // MARK: - Events and actions (on queue)

    /// Hands `event` to the machine and carries out its actions, and those of the events they
    /// lead to, in order; publishes once at the end when any of them asked for it.
    private func send(_ event: RefreshEvent) {
        guard !stopped else { return }
        var events = [event]
        var publish = false
        while !events.isEmpty {
            for action in machine.handle(events.removeFirst(), at: Date()) {
                switch action {
                case .fetch(let cluster):
                    startFetch(cluster)
                case .resolveFleet:
                    listFleet()
                case .forgetResolution(let clusterID):
                    dependencies.fleet.forget(clusterID: clusterID)
                case .cancelFetch(let name):
                    fetches.removeValue(forKey: name)?.task.cancel()
                case .write(let request):
                    events.append(.writeFinished(write(request)))
                case .heal(let wanted):
                    if let result = heal(wanted) { events.append(.healFinished(result)) }
                case .arm(let timer, let date):
                    arm(timer, at: date)
                case .cancel(let timer):
                    timers.removeValue(forKey: timer)?.source.cancel()
                case .publish:
                    publish = true
                case .log(let record):
                    log(record)
                }
            }
        }
        let resolutions = dependencies.fleet.cache
        if publish || resolutions != publishedResolutions {
            publishedResolutions = resolutions
            dependencies.published(
                Publication(
                    states: machine.states,
                    statusLine: machine.statusLine(at: Date()),
                    resolutions: resolutions,
                    listingFailures: machine.listingFailures
                )
            )
        }
    }

    /// Lists the fleet in a task and hands the machine what it found; one listing at a time.
    private func listFleet() {
        guard !listing else {
            listAgain = true
            return
        }
        listing = true
        let source = source
        let fleet = dependencies.fleet
        Task { [weak self] in
            let resolved = await fleet.resolve(source)
            guard let daemon = self else { return }
            daemon.queue.async {
                daemon.listing = false
                if let listing = resolved.listing, daemon.source == source {
                    daemon.send(.fleetListed(resolved.config, daemon.readContents(of: resolved.config), listing: listing))
                }
                if daemon.listAgain {
                    daemon.listAgain = false
                    daemon.listFleet()
                }
            }
        }
    }

    private func startFetch(_ cluster: WatchedCluster) {
        fetchCount += 1
        let number = fetchCount
        let fetcher = dependencies.fetcher
        let config = machine.config
        let name = cluster.name
        let task = Task { [weak self] in
            let result = await fetcher.fetch(cluster, in: config)
            guard let daemon = self else { return }
            daemon.queue.async {
                guard daemon.fetches[name]?.number == number else { return }
                daemon.fetches[name] = nil
                daemon.send(.fetchFinished(watchName: name, result))
            }
        }
        fetches[name] = (number, task)
    }

    private func write(_ request: WriteRequest) -> WriteResult {
        let result = effects.write(request, config: machine.config, now: Date())
        if case .success = result {
            watchKubeconfig()
            releaseFreedMemory()
        }
        return WriteResult(result, of: request, path: dependencies.writer.store.path)
    }

    /// Checks the wanted entries, unless the file is exactly as the last check left it; `nil`
    /// when the check was skipped so.
    private func heal(_ wanted: [ManagedCluster]) -> HealResult? {
        // Taken before the check, so a write that lands during it is never taken as checked.
        let stamp = FileStamp(path: dependencies.writer.store.path)
        let names = wanted.map(\.owner.watchName)
        // Only the merged kubeconfig is stamped: with `output: files` every check reads the files.
        if machine.config.output == .merge, let stamp, stamp == checkedKubeconfig, names == checkedWatchNames { return nil }
        let result = effects.heal(wanted, config: machine.config, now: Date())
        switch result {
        case .checked(let restored):
            checkedKubeconfig = restored.isEmpty ? stamp : nil
            checkedWatchNames = names
        case .unreadable:
            checkedKubeconfig = nil
        }
        releaseFreedMemory()
        return result
    }

    private func arm(_ timer: RefreshTimer, at date: Date) {
        timers[timer]?.source.cancel()
        timerCount += 1
        let number = timerCount
        let source = DispatchSource.makeTimerSource(queue: queue)
        source.schedule(wallDeadline: DispatchWallTime(date), leeway: Self.leeway(for: timer))
        source.setEventHandler { [weak self] in
            guard let daemon = self, daemon.timers[timer]?.number == number else { return }
            daemon.timers[timer] = nil
            daemon.send(.timerFired(timer))
        }
        source.resume()
        timers[timer] = (number, source)
    }

    /// How late a timer may fire, to let the kernel batch wakeups: a second for renewals, which
    /// are counted in hours, little for the half-second waits of writes and heals.
    private static func leeway(for timer: RefreshTimer) -> DispatchTimeInterval {
        switch timer {
        case .renewal, .networkSettled, .discovery: .seconds(1)
        case .write, .heal, .pacer: .milliseconds(20)
        }
    }

    private func log(_ record: LogRecord) {
        let level: Logger.Level =
            switch record.level {
            case .debug: .debug
            case .info: .info
            case .notice: .notice
            case .warning: .warning
            case .error: .error
            }
        var metadata: Logger.Metadata = [:]
        for (key, value) in record.metadata { metadata[key] = "\(value)" }
        dependencies.logger.log(level: level, "\(record.message)", metadata: metadata)
    }

    // MARK: - Watching, the tick, reading (on queue)

    /// Starts the file watch, unless it runs; it cannot start before the kubeconfig's directory
    /// exists, so every successful write tries again.
    private func watchKubeconfig() {
        guard watcher == nil else { return }
        watcher = KubeconfigWatcher(path: dependencies.writer.store.path, queue: queue) { [weak self] in
            self?.send(.kubeconfigChanged)
        }
    }

    private func startSafetyTick() {
        let timer = DispatchSource.makeTimerSource(queue: queue)
        let interval = DispatchTimeInterval.milliseconds(Int(machine.options.safetyTickInterval / .milliseconds(1)))
        timer.schedule(wallDeadline: .now() + interval, repeating: interval, leeway: .seconds(1))
        timer.setEventHandler { [weak self] in self?.tick() }
        timer.resume()
        safetyTick = timer
    }

    /// The safety tick, and the credential sets whose source changed since the last one.
    private func tick() {
        let fingerprints = dependencies.fetcher.fetcher.credentialFingerprints(of: machine.config)
        let changed = fingerprints.filter { name, fingerprint in credentialFingerprints[name].map { $0 != fingerprint } ?? false }
        credentialFingerprints = fingerprints
        send(.tick(.now()))
        if !changed.isEmpty { send(.credentialSourcesChanged(Set(changed.keys))) }
    }

    /// The kubeconfig's managed entries; none when it cannot be read now (a half-written file):
    /// the clusters are then due, and the write that follows reads the file again under the lock.
    private func readContents(of config: WatchListConfig) -> KubeconfigContents {
        (try? effects.contents(of: config)) ?? KubeconfigContents()
    }

    /// Hands the heap freed by a parse or a write back to the system. glibc keeps freed memory in
    /// each thread's arena, and in a daemon idle between bursts that is a good part of its
    /// anonymous memory (2.8 of 14 MiB with 100 clusters, measured). Not while fetches run: they
    /// are about to allocate again.
    private func releaseFreedMemory() {
        guard fetches.isEmpty else { return }
        malloc_trim(0)
    }
}

extension DispatchWallTime {
    /// The wall-clock instant `date`, which a timer follows through suspend and clock changes.
    init(_ date: Date) {
        let seconds = date.timeIntervalSince1970
        let whole = seconds.rounded(.down)
        self.init(timespec: timespec(tv_sec: Int(whole), tv_nsec: Int((seconds - whole) * 1_000_000_000)))
    }
}
