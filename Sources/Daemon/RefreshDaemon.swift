import CGlibcMalloc
import Dispatch
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import Kubeconfig
import KubeconfigStore
import Logging
import Refresh
import Renewal
import WatchList

/// The long-running refresh loop behind `run`.
///
/// Every cluster has a wall-clock timer (`DispatchWallTime`: the monotonic clock stops while a
/// laptop sleeps) armed for its next renewal or retry; a 60 s safety tick re-evaluates them all
/// and notices suspend/resume and clock jumps. Due clusters are fetched at most four at a time;
/// results that finish within half a second are merged in one kubeconfig update. After any
/// outside change of the kubeconfig, the managed entries are checked and restored. A 401 opens
/// the circuit of its credential set: every cluster using it waits (design §6: the gateway locks
/// an access key after five bad signatures).
///
/// - Important: all mutable state is confined to `queue`; every entry point hops onto it. That is
///   what makes the `@unchecked Sendable` sound: timers, signal and file-watch sources fire there.
public final class RefreshDaemon: @unchecked Sendable {
    /// What the daemon needs from outside.
    public struct Dependencies: Sendable {
        public var fetcher: ClusterFetcher
        public var store: KubeconfigStore
        public var logger: Logger
        /// Called on the daemon's queue after every change of state (for `STATUS=` and the state file).
        public var stateChanged: @Sendable (DaemonSnapshot) -> Void

        public init(fetcher: ClusterFetcher, store: KubeconfigStore, logger: Logger, stateChanged: @escaping @Sendable (DaemonSnapshot) -> Void) {
            self.fetcher = fetcher
            self.store = store
            self.logger = logger
            self.stateChanged = stateChanged
        }
    }

    static let maximumInFlight = 4
    static let coalescingDelay = DispatchTimeInterval.milliseconds(500)
    /// While a burst of fetches goes on (a first pass, a resume), results wait for its end, but no
    /// longer than this after the first of them, so that a long pass still shows progress.
    static let burstWriteDelay = DispatchTimeInterval.seconds(10)
    static let safetyInterval = DispatchTimeInterval.seconds(60)
    static let networkSettleDelay = DispatchTimeInterval.seconds(5)
    static let healDelay = DispatchTimeInterval.milliseconds(300)
    static let failedWriteRetryDelay = DispatchTimeInterval.seconds(5)

    public let queue = DispatchQueue(label: "cce-kubeconfigd.refresh")
    private let dependencies: Dependencies
    private var logger: Logger { dependencies.logger }
    private var config: WatchListConfig
    private var policy: RenewalPolicy
    private var clusters: [String: ClusterRuntime] = [:]
    private var waiting: [String] = []
    private var fetches: [String: Task<Void, Never>] = [:]
    /// When each running fetch was sent: a 401 to a request older than the breaker's state says nothing new.
    private var fetchSent: [String: Date] = [:]
    /// One circuit breaker per credential set: a refused credential pauses every cluster using it.
    private var breakers: [String: CredentialCircuitBreaker] = [:]
    /// Fetched results waiting for the coalesced write, by watch name (a newer one replaces an older).
    private var fetched: [String: ManagedCluster] = [:]
    private var pendingRemovals: Set<String> = []
    private var flushScheduled = false
    /// When the oldest result not yet written arrived.
    private var oldestUnwritten: DispatchTime?
    private var healScheduled = false
    /// The kubeconfig as the last heal found it, holding every wanted entry as it should: a safety
    /// tick that finds the same file (and the same clusters wanted) need not parse it again.
    private var checkedKubeconfig: FileStamp?
    private var checkedWatchNames: [String] = []
    /// The entries last written (or found) for each cluster: what a heal restores.
    private var knownGood: [String: ManagedCluster] = [:]
    private var safetyTick: DispatchSourceTimer?
    private var watcher: KubeconfigWatcher?
    private var sleepDetector = SleepDetector()
    private var stopping = false

    public init(config: WatchListConfig, dependencies: Dependencies) {
        self.config = config
        self.dependencies = dependencies
        self.policy = RenewalPolicy(maxRefresh: config.maxRefresh)
    }

    // MARK: - Entry points (any thread)

    /// Reads the kubeconfig, schedules every cluster from the certificates already there (a
    /// restart fetches nothing that is fresh), fetches what is due, and starts watching.
    /// `ready` is called once the first evaluation is scheduled, without waiting for the network.
    public func start(ready: @escaping @Sendable () -> Void) {
        queue.async {
            self.adopt(self.config)
            self.watchKubeconfig()
            self.startSafetyTick()
            self.evaluateAll(reason: "start")
            ready()
            self.publish()
        }
    }

    /// Applies a new, already validated config: new clusters are fetched now, removed ones pruned,
    /// changed ones re-evaluated.
    public func reload(_ newConfig: WatchListConfig) {
        queue.async {
            let removed = Set(self.config.clusters.map(\.name)).subtracting(newConfig.clusters.map(\.name))
            self.config = newConfig
            self.policy = RenewalPolicy(maxRefresh: newConfig.maxRefresh)
            for name in removed {
                self.forget(name)
            }
            self.pendingRemovals.formUnion(removed)
            self.adopt(newConfig)
            self.logger.notice("configuration reloaded", metadata: ["clusters": "\(newConfig.clusters.count)", "removed": "\(removed.sorted())"])
            self.evaluateAll(reason: "reload")
            if !removed.isEmpty { self.scheduleFlush() }
            self.publish()
        }
    }

    /// Renews every cluster now, whatever its certificate (SIGUSR1).
    public func renewAll() {
        queue.async {
            self.logger.notice("renewing every cluster now")
            for name in self.config.clusters.map(\.name) {
                self.clusters[name]?.retry.recordSuccess()
                self.enqueue(name)
            }
        }
    }

    /// Stops timers and fetches, writes what was already fetched, then calls `completion`. A write
    /// in progress has finished by then: writes run on the same serial queue. Nothing runs after.
    public func stop(completion: @escaping @Sendable () -> Void) {
        queue.async {
            self.stopping = true
            self.safetyTick?.cancel()
            self.watcher?.cancel()
            for runtime in self.clusters.values { runtime.timer?.cancel() }
            for task in self.fetches.values { task.cancel() }
            self.fetches.removeAll()
            self.fetchSent.removeAll()
            self.waiting.removeAll()
            self.flush(final: true)
            completion()
        }
    }

    // MARK: - Scheduling (on queue)

    /// Creates the runtime of every cluster of `config` that has none, reading the current certificates.
    private func adopt(_ config: WatchListConfig) {
        let inventory = readInventory()
        for cluster in config.clusters {
            var runtime = clusters[cluster.name] ?? ClusterRuntime(cluster: cluster)
            runtime.cluster = cluster
            if let record = inventory?.clusters.first(where: { $0.watchName == cluster.name }),
               let notBefore = record.clientCertificateNotBefore, let notAfter = record.clientCertificateNotAfter {
                runtime.certificate = CertificateValidity(notBefore: notBefore, notAfter: notAfter)
            }
            clusters[cluster.name] = runtime
        }
        if let file = readFile() {
            for cluster in config.clusters where knownGood[cluster.name] == nil {
                knownGood[cluster.name] = ManagedCluster(existingEntriesOf: cluster.ownership, in: file)
            }
        }
    }

    /// Starts the file watch, unless it runs; it cannot start before the kubeconfig's directory
    /// exists, so every successful write tries again.
    private func watchKubeconfig() {
        guard watcher == nil else { return }
        watcher = KubeconfigWatcher(path: dependencies.store.path, queue: queue) { [weak self] in
            self?.kubeconfigChangedOutside()
        }
    }

    private func forget(_ name: String) {
        clusters[name]?.timer?.cancel()
        clusters[name] = nil
        fetches[name]?.cancel()
        fetches[name] = nil
        fetchSent[name] = nil
        waiting.removeAll { $0 == name }
        knownGood[name] = nil
    }

    private func evaluateAll(reason: String) {
        logger.debug("evaluating every cluster", metadata: ["reason": "\(reason)"])
        for name in config.clusters.map(\.name) { evaluate(name) }
    }

    /// Arms the cluster's timer for its next renewal or retry, or queues it when that time has come.
    private func evaluate(_ name: String) {
        guard !stopping, var runtime = clusters[name], fetches[name] == nil, fetched[name] == nil, !waiting.contains(name) else { return }
        let now = Date()
        let jitter = runtime.certificate.map { RenewalPolicy.jitterFraction(cluster: name, certificate: $0) } ?? 0
        let decision = policy.decide(certificate: runtime.certificate, lastRefresh: runtime.lastSuccess, now: now, jitterFraction: jitter)
        var due = max(decision.renewAt, runtime.retry.nextAttempt ?? .distantPast)
        if case .open(_, let until) = breakers[runtime.cluster.credentials]?.state {
            due = max(due, until)
        }
        runtime.nextDue = due
        clusters[name] = runtime
        if due <= now {
            enqueue(name)
        } else {
            arm(name, at: due)
        }
    }

    private func arm(_ name: String, at date: Date) {
        clusters[name]?.timer?.cancel()
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(wallDeadline: DispatchWallTime(date), leeway: .seconds(1))
        timer.setEventHandler { [weak self] in self?.evaluate(name) }
        timer.resume()
        clusters[name]?.timer = timer
    }

    private func enqueue(_ name: String) {
        guard !stopping, clusters[name] != nil, fetches[name] == nil, fetched[name] == nil, !waiting.contains(name) else { return }
        clusters[name]?.timer?.cancel()
        clusters[name]?.timer = nil
        waiting.append(name)
        startFetches()
    }

    private func startFetches() {
        while fetches.count < Self.maximumInFlight, !waiting.isEmpty {
            let name = waiting.removeFirst()
            guard let cluster = clusters[name]?.cluster else { continue }
            let now = Date()
            var breaker = breakers[cluster.credentials] ?? CredentialCircuitBreaker(credential: breakerCredential(for: cluster))
            let permission = breaker.permission(at: now)
            breakers[cluster.credentials] = breaker
            if case .wait(let until) = permission {
                arm(name, at: until)
                continue
            }
            fetchSent[name] = now
            let fetcher = dependencies.fetcher
            let config = config
            fetches[name] = Task { [weak self] in
                let result = await fetcher.fetch(cluster, in: config)
                guard let daemon = self else { return }
                daemon.queue.async { daemon.finish(name, result) }
            }
        }
    }

    private func finish(_ name: String, _ result: Result<ManagedCluster, FetchFailure>) {
        let sent = fetchSent.removeValue(forKey: name) ?? Date()
        guard fetches.removeValue(forKey: name) != nil, !stopping, let credentials = clusters[name]?.cluster.credentials else { return }
        switch result {
        case .success(let managed):
            fetched[name] = managed
            scheduleFlush()
            if breakers[credentials]?.recordSuccess() == .resume {
                logger.notice("credential set accepted again; resuming its clusters", metadata: ["credentials": "\(credentials)"])
                evaluateAll(reason: "credential resumed")
            }
        case .failure(let failure):
            if failure.kind == .authentication, case .pause(let until)? = breakers[credentials]?.recordAuthenticationFailure(sentAt: sent, at: Date()) {
                logger.error(
                    "credential set refused; pausing every cluster that uses it",
                    metadata: ["credentials": "\(credentials)", "until": "\(until.formatted(.iso8601))"]
                )
            }
            recordFailure(name, failure)
            for other in config.clusters where other.credentials == credentials && other.name != name {
                if fetches[other.name] == nil, !waiting.contains(other.name) { evaluate(other.name) }
            }
        }
        startFetches()
        publish()
    }

    /// How a cluster's credential set authenticates, for its circuit breaker.
    private func breakerCredential(for cluster: WatchedCluster) -> CredentialCircuitBreaker.Credential {
        switch config.credentials[cluster.credentials] {
        case .password: .password
        case .token: .token
        case .aksk, .sdk, nil: .accessKey
        }
    }

    private func recordFailure(_ name: String, _ failure: FetchFailure) {
        guard var runtime = clusters[name] else { return }
        let next = runtime.retry.recordFailure(failure.kind, at: Date(), certificateExpiry: runtime.certificate?.notAfter, jitterFraction: Double.random(in: 0..<1))
        runtime.lastError = failure.message
        runtime.lastErrorAt = Date()
        clusters[name] = runtime
        logger.warning("refresh failed", metadata: ["cluster": "\(name)", "error": "\(failure.message)", "retry": "\(next.formatted(.iso8601))"])
        evaluate(name)
    }

    // MARK: - Writing (on queue)

    private func scheduleFlush() {
        if oldestUnwritten == nil { oldestUnwritten = .now() }
        guard !flushScheduled else { return }
        flushScheduled = true
        queue.asyncAfter(deadline: .now() + Self.coalescingDelay) { [weak self] in self?.flushUnlessBurstGoesOn() }
    }

    /// Writes now, or, while more fetches are running or waiting and the oldest result is younger
    /// than ``burstWriteDelay``, looks again after ``coalescingDelay``: 500 clusters fetched in one
    /// pass then make two or three writes, not one every half second.
    private func flushUnlessBurstGoesOn() {
        let burstGoesOn = !fetches.isEmpty || !waiting.isEmpty
        if burstGoesOn, let oldest = oldestUnwritten, DispatchTime.now() < oldest + Self.burstWriteDelay {
            queue.asyncAfter(deadline: .now() + Self.coalescingDelay) { [weak self] in self?.flushUnlessBurstGoesOn() }
            return
        }
        flush()
    }

    /// Writes every fetched result, and prunes removed clusters, in one kubeconfig update. Once
    /// stopping, only the final write runs: the process may exit any moment after it.
    private func flush(final: Bool = false) {
        guard !stopping || final else { return }
        flushScheduled = false
        oldestUnwritten = nil
        let batch = Array(fetched.values)
        let removals = pendingRemovals
        guard !batch.isEmpty || !removals.isEmpty else { return }
        fetched = [:]
        pendingRemovals = []
        let managedNames = readFile()?.managedWatchNames ?? []
        let pruned = removals.union(Set(managedNames).subtracting(config.clusters.map(\.name)))
        let update = KubeconfigUpdate(store: dependencies.store, request: MergeRequest(upserts: batch, removals: pruned))
        do {
            let outcome = try update.run(dryRun: false)
            let conflicts = Set(outcome.plan.conflicts.map(\.watchName))
            for conflict in outcome.plan.conflicts {
                recordFailure(conflict.watchName, FetchFailure(KubeconfigError.conflict(conflict).described(in: dependencies.store.path), kind: .conflict))
            }
            for managed in batch where !conflicts.contains(managed.owner.watchName) {
                let name = managed.owner.watchName
                guard clusters[name] != nil else { continue }
                clusters[name]?.certificate = managed.clientCertificate
                clusters[name]?.lastSuccess = Date()
                clusters[name]?.lastError = nil
                clusters[name]?.retry.recordSuccess()
                knownGood[name] = managed
                logger.info("certificate refreshed", metadata: ["cluster": "\(name)", "valid-until": "\(managed.clientCertificate.notAfter.formatted(.iso8601))"])
                evaluate(name)
            }
            watchKubeconfig()
            if !pruned.isEmpty, outcome.wrote {
                logger.notice("removed clusters no longer in the watch list", metadata: ["clusters": "\(pruned.sorted())"])
            }
        } catch {
            logger.error("cannot write the kubeconfig", metadata: ["error": "\(error)"])
            guard !final else { return }
            for managed in batch where fetched[managed.owner.watchName] == nil {
                fetched[managed.owner.watchName] = managed
            }
            pendingRemovals.formUnion(removals)
            flushScheduled = true
            queue.asyncAfter(deadline: .now() + Self.failedWriteRetryDelay) { [weak self] in self?.flush() }
        }
        publish()
        releaseFreedMemory()
    }

    /// Someone else wrote the kubeconfig (kubectl, an editor): put back what is missing or stale.
    private func kubeconfigChangedOutside() {
        guard !healScheduled, !stopping else { return }
        healScheduled = true
        queue.asyncAfter(deadline: .now() + Self.healDelay) { [weak self] in self?.heal() }
    }

    private func heal() {
        guard !stopping else { return }
        healScheduled = false
        let wanted = config.clusters.compactMap { knownGood[$0.name] }
        guard !wanted.isEmpty, !stopping else { return }
        // Taken before the check, so a write that lands during it is never taken as checked.
        let stamp = FileStamp(path: dependencies.store.path)
        if let stamp, stamp == checkedKubeconfig, wanted.map(\.owner.watchName) == checkedWatchNames {
            return
        }
        let update = KubeconfigUpdate(store: dependencies.store, request: MergeRequest(upserts: wanted))
        do {
            let outcome = try update.run(dryRun: false)
            if outcome.wrote {
                logger.notice("restored managed entries changed outside", metadata: ["changes": "\(outcome.plan.changes.map(\.description))"])
            }
            checkedKubeconfig = outcome.wrote ? nil : stamp
            checkedWatchNames = wanted.map(\.owner.watchName)
        } catch {
            checkedKubeconfig = nil
            // A half-written file (kubectl rewrites in place) reads as broken: look again shortly.
            logger.info("kubeconfig not readable yet after an outside change; checking again", metadata: ["error": "\(error)"])
            kubeconfigChangedOutside()
        }
        releaseFreedMemory()
    }

    /// Hands the heap freed by a parse or a write back to the system. glibc keeps freed memory in
    /// each thread's arena, and in a daemon idle between bursts that is a good part of its
    /// anonymous memory (2.8 of 14 MiB with 100 clusters, measured). Not while fetches run: they
    /// are about to allocate again.
    private func releaseFreedMemory() {
        guard fetches.isEmpty else { return }
        malloc_trim(0)
    }

    // MARK: - Safety tick (on queue)

    private func startSafetyTick() {
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(wallDeadline: .now() + Self.safetyInterval, repeating: Self.safetyInterval, leeway: .seconds(1))
        timer.setEventHandler { [weak self] in self?.tick() }
        timer.resume()
        safetyTick = timer
        _ = sleepDetector.observe(ClockSample.now())
    }

    private func tick() {
        switch sleepDetector.observe(ClockSample.now()) {
        case .resumedFromSuspend(let slept):
            logger.notice("resumed from suspend; re-checking after the network settles", metadata: ["slept": "\(slept)"])
            queue.asyncAfter(deadline: .now() + Self.networkSettleDelay) { [weak self] in self?.evaluateAll(reason: "resume") }
        case .wallClockJumped(let jump):
            logger.notice("the wall clock jumped; re-checking every cluster", metadata: ["by": "\(jump)"])
            evaluateAll(reason: "clock")
        case .steady:
            evaluateAll(reason: "tick")
        }
        kubeconfigChangedOutside()
        publish()
    }

    // MARK: - Reading and reporting (on queue)

    private func readFile() -> KubeconfigFile? {
        guard let bytes = try? dependencies.store.read() else { return nil }
        return try? KubeconfigFile(bytes: bytes)
    }

    private func readInventory() -> ManagedInventory? {
        readFile().map(ManagedInventory.init)
    }

    private func publish() {
        dependencies.stateChanged(snapshot())
    }

    /// The state of every cluster now.
    public func snapshot() -> DaemonSnapshot {
        DaemonSnapshot(clusters: config.clusters.compactMap { cluster in
            clusters[cluster.name].map { runtime in
                DaemonSnapshot.Cluster(
                    name: cluster.name,
                    certificateNotAfter: runtime.certificate?.notAfter,
                    lastSuccess: runtime.lastSuccess,
                    lastError: runtime.lastError,
                    lastErrorAt: runtime.lastErrorAt,
                    consecutiveFailures: runtime.retry.consecutiveFailures,
                    nextAttempt: runtime.nextDue
                )
            }
        })
    }
}

/// What the daemon knows of one cluster between fetches.
struct ClusterRuntime {
    var cluster: WatchedCluster
    var certificate: CertificateValidity?
    var lastSuccess: Date?
    var lastError: String?
    var lastErrorAt: Date?
    var retry = ClusterRetryState()
    var timer: DispatchSourceTimer?
    var nextDue: Date?
}

extension DispatchWallTime {
    /// The wall-clock instant `date`, which a timer follows through suspend and clock changes.
    init(_ date: Date) {
        let seconds = date.timeIntervalSince1970
        let whole = seconds.rounded(.down)
        self.init(timespec: timespec(tv_sec: Int(whole), tv_nsec: Int((seconds - whole) * 1_000_000_000)))
    }
}
