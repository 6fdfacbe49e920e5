#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Kubeconfig
import Renewal
import WatchList

/// Every decision of `sync`, `run` and `demo`: when each cluster is fetched, when results are
/// written, when entries changed by others are restored; as a pure state machine.
///
/// In the manner of async-http-client's `HTTPConnectionPool.StateMachine`: a ``RefreshEvent``
/// and the wall-clock time go in, ``RefreshAction``s come out, and the IO (fetches, kubeconfig
/// updates, timers, logs) is the shell's. Randomness (the backoff's jitter) is a function passed
/// in. Nothing here reads a clock, sleeps or touches a file, so every behaviour is tested with
/// exact times.
///
/// The rules:
/// - Each cluster is due at two thirds of its certificate's lifetime (less a stable jitter), at
///   once when it has none or it is near expiry, and at least every `max_refresh` after the last
///   success (``RenewalPolicy``); after a failure, when its backoff says (``ClusterRetryState``).
/// - At most ``Options/maximumInFlight`` fetches run; a 401 opens the circuit of its credential
///   set, and every cluster using the set waits (Huawei's gateway locks an access key after five
///   bad signatures, so the clusters must not each find that out).
/// - Each credential set's requests go through its ``RequestPacer``: unpaced until the API
///   gateway answers 429, then kept within the limit per minute it learned. A throttled cluster is not failing:
///   it goes back to the head of the queue and waits for the pacer (a pass gives up on it after
///   ``Options/throttledAttemptsPerPass`` 429s).
/// - Results are written together: half a second after the first one, and while a burst of
///   fetches goes on (a first pass, a resume), at its end but no later than ten seconds after the
///   first result. A failed write is retried after five seconds; nothing fetched is lost.
/// - After an outside change of the kubeconfig, the managed entries are checked and restored.
/// - A pass (``Mode/pass(force:only:)``, what `sync` runs) fetches what is due once, retries
///   nothing and writes once, when every fetch has ended.
public struct RefreshMachine: Sendable {
    /// How the machine runs.
    public enum Mode: Sendable, Hashable {
        /// The service: timers, retries, healing, for as long as it runs.
        case service
        /// One pass: `force` fetches every selected cluster, due or not; `only` selects watch
        /// names (and then nothing is pruned), `nil` selects all.
        case pass(force: Bool, only: Set<String>?)
    }

    /// The numbers behind the rules.
    public struct Options: Sendable, Hashable {
        public var maximumInFlight = 4
        /// How long after the first result the write waits for others.
        public var coalescingDelay: Duration = .milliseconds(500)
        /// While a burst goes on, the longest the first result waits to be written, so that a
        /// long pass still shows progress.
        public var burstWriteDelay: Duration = .seconds(10)
        public var failedWriteRetryDelay: Duration = .seconds(5)
        /// How long after an outside change the entries are checked: kubectl's rewrite has
        /// usually finished by then.
        public var healDelay: Duration = .milliseconds(300)
        /// How long after a resume the clusters are evaluated: the network needs a moment.
        public var networkSettleDelay: Duration = .seconds(5)
        /// What every credential set's pacer starts as.
        public var pacer = RequestPacer()
        /// How many 429s one cluster may get in a pass before the pass reports it failed: a
        /// pass waits for the pacer, but not forever for a cluster the gateway keeps refusing.
        public var throttledAttemptsPerPass = 3

        public init() {}
    }

    /// Where one cluster is in its cycle.
    public enum Activity: Sendable, Hashable {
        /// Nothing planned: not evaluated yet, or a pass is done with it.
        case idle
        /// Its timer is armed for `at`.
        case scheduled(at: Date)
        /// Due, waiting for a free fetch slot; `order` keeps the queue first come, first served.
        case queued(order: Int)
        /// Its fetch runs, sent at `sentAt`.
        case fetching(sentAt: Date)
        /// Fetched, waiting for the next write.
        case awaitingWrite(ManagedCluster)
        /// In the write running now.
        case beingWritten(ManagedCluster)
    }

    /// One watched cluster.
    public struct Record: Sendable {
        public var cluster: WatchedCluster
        public var state: ClusterState
        public var retry = ClusterRetryState()
        public var activity = Activity.idle
        /// The entries last written or found for it: what a heal restores.
        public var entries: ManagedCluster?
        /// 429s in a row for this cluster.
        public var throttledInARow = 0
    }

    /// What a pass did with one cluster.
    public enum PassOutcome: Sendable, Hashable {
        /// Fetched and written; `changed` is false when the kubeconfig already held exactly this.
        case refreshed(validUntil: Date, changed: Bool)
        /// Not due yet.
        case fresh(until: Date, reason: RenewalDecision.Reason)
        /// Not fetched or not written; its previous entries are untouched.
        case failed(String)
    }

    private enum WriteState: Sendable, Hashable {
        case idle
        /// Results wait; the first arrived at `firstResultAt`.
        case pending(firstResultAt: Date)
        /// A write runs, carrying `removals`; they are asked for again if it fails.
        case running(removals: Set<String>)
    }

    public let mode: Mode
    public let options: Options
    public private(set) var config: WatchListConfig
    private var policy: RenewalPolicy
    private var records: [String: Record] = [:]
    private var breakers: [String: CredentialCircuitBreaker] = [:]
    /// Per credential set: its pacer, the last 429's sentence, and when its timer is armed for.
    private var pacers: [String: RequestPacer] = [:]
    private var lastThrottle: [String: String] = [:]
    private var pacerTimers: [String: Date] = [:]
    private var pendingRemovals: Set<String> = []
    /// Clusters left the watch list or the fleet: the next write prunes, even with nothing fetched.
    private var pruneDue = false
    private var write = WriteState.idle
    private var healScheduled = false
    private var sleepDetector = SleepDetector()
    private var queueOrder = 0
    /// Decreases for clusters put back at the head of the queue.
    private var headOrder = 0
    private var stopping = false
    /// What the last listing of the fleet lets go; `nil` without discovery or names to look up,
    /// when exactly the watch list's clusters are kept.
    private var fleetPruning: PrunePolicy?
    /// The list calls the last listing of the fleet could not make, each one sentence: shown in
    /// `STATUS=` and `status` until a listing answers in full.
    public private(set) var listingFailures: [String] = []
    /// SIGUSR1 came with a fleet to list: the renewal waits for the listing it asked for, so that
    /// a cluster deleted or hibernated since the last listing is not asked for.
    private var renewAllAfterListing = false
    /// Why the last reload was refused, until a valid watch list comes.
    public private(set) var refusedConfig: String?
    private let randomFraction: @Sendable () -> Double
    /// A pass's outcome per selected watch name.
    public private(set) var passOutcomes: [String: PassOutcome] = [:]

    /// - Parameters:
    ///   - config: the watch list, its clusters resolved (given by id, looked up by name, or
    ///     discovered); its `discover:` rules say when to list the fleet again.
    ///   - fleetPruning: what the listing that resolved `config` lets go, when there was one.
    ///   - listingFailures: the list calls that listing could not make.
    ///   - randomFraction: a fresh value in [0, 1) at every call, for the backoff's jitter.
    public init(
        config: WatchListConfig,
        mode: Mode = .service,
        options: Options = Options(),
        fleetPruning: PrunePolicy? = nil,
        listingFailures: [String] = [],
        randomFraction: @escaping @Sendable () -> Double
    ) {
        self.config = config
        self.mode = mode
        self.options = options
        self.fleetPruning = fleetPruning
        self.listingFailures = listingFailures
        self.policy = RenewalPolicy(maxRefresh: config.maxRefresh)
        self.randomFraction = randomFraction
    }

    // MARK: - Reading the state

    /// Every watched cluster's state, in watch-list order, with the console name of the cluster
    /// as the current watch list (or listing) gives it.
    public var states: [(watchName: String, state: ClusterState)] {
        config.clusters.compactMap { cluster in
            records[cluster.name].map { record in
                var state = record.state
                state.consoleName = cluster.consoleName
                return (cluster.name, state)
            }
        }
    }

    /// systemd's `STATUS=` line now: the clusters' states, after the first list call the last
    /// listing could not make, after the reason of a refused reload.
    public func statusLine(at now: Date) -> String {
        var line = StatusLine.make(states, now: now)
        if let failure = listingFailures.first {
            let more = listingFailures.count > 1 ? " (and \(listingFailures.count - 1) more)" : ""
            line = "fleet listing incomplete, nothing it could have shown is pruned: \(failure.prefix(200))\(more); \(line)"
        }
        guard let refusedConfig else { return line }
        return "configuration refused, running on the previous one: \(refusedConfig.prefix(200)); \(line)"
    }

    /// One cluster's record.
    public func record(_ watchName: String) -> Record? {
        records[watchName]
    }

    /// Whether nothing is queued, fetched, being fetched or being written: a pass is done then.
    public var isIdle: Bool {
        guard case .idle = write else { return false }
        return records.values.allSatisfy { record in
            switch record.activity {
            case .idle, .scheduled: true
            case .queued, .fetching, .awaitingWrite, .beingWritten: false
            }
        }
    }

    private var inFlight: Int {
        records.values.count { if case .fetching = $0.activity { true } else { false } }
    }

    private var burstGoesOn: Bool {
        records.values.contains { record in
            switch record.activity {
            case .queued, .fetching: true
            case .idle, .scheduled, .awaitingWrite, .beingWritten: false
            }
        }
    }

    /// What a write may prune: the entries of watch names neither watched nor held by the fleet.
    private var prunePolicy: PrunePolicy {
        let watched = Set(config.clusters.map(\.name))
        guard let fleetPruning else { return PrunePolicy(kept: watched) }
        return PrunePolicy(kept: fleetPruning.kept.union(watched), keptProjects: fleetPruning.keptProjects, pruneNothing: fleetPruning.pruneNothing)
    }

    /// Fetched results or removals that no write carries yet.
    private var hasUnwrittenWork: Bool {
        pruneDue || !pendingRemovals.isEmpty || records.values.contains { if case .awaitingWrite = $0.activity { true } else { false } }
    }

    private var selected: [WatchedCluster] {
        guard case .pass(_, let only?) = mode else { return config.clusters }
        return config.clusters.filter { only.contains($0.name) }
    }

    // MARK: - Events

    /// Takes one event seen at `now`; returns what to do, in order.
    public mutating func handle(_ event: RefreshEvent, at now: Date) -> [RefreshAction] {
        var actions: [RefreshAction] = []
        switch event {
        case .started(let contents, let persisted, let clocks):
            adopt(contents, persisted: persisted)
            if let clocks { _ = sleepDetector.observe(clocks) }
            if case .pass(let force, _) = mode, force {
                for cluster in selected { enqueue(cluster.name, &actions) }
            } else {
                evaluateAll(at: now, &actions)
            }
            startFetches(at: now, &actions)
            if case .pass = mode { writeIfPassIsDone(at: now, &actions) }
            armDiscovery(at: now, &actions)
            actions.append(.publish)
        case .timerFired(let timer):
            timerFired(timer, at: now, &actions)
        case .fetchFinished(let name, let result):
            fetchFinished(name, result, at: now, &actions)
        case .writeFinished(let result):
            writeFinished(result, at: now, &actions)
        case .healFinished(let result):
            switch result {
            case .checked(let restored):
                if !restored.isEmpty {
                    actions.append(.log(LogRecord(.notice, "restored managed entries changed outside", [("changes", "\(restored)")])))
                }
            case .unreadable(let reason):
                actions.append(.log(LogRecord(.info, "kubeconfig not readable yet after an outside change; checking again", [("error", reason)])))
                scheduleHeal(at: now, &actions)
            }
        case .kubeconfigChanged:
            scheduleHeal(at: now, &actions)
        case .tick(let sample):
            tick(sample, at: now, &actions)
        case .configReloaded(let newConfig, let contents, let listing):
            guard !stopping else { break }
            refusedConfig = nil
            actions.append(.log(LogRecord(.notice, "configuration reloaded", [("clusters", "\(newConfig.clusters.count)")])))
            apply(newConfig, contents, listing: listing, at: now, &actions)
            renewAllIfAsked(at: now, &actions)
        case .fleetListed(var newConfig, let contents, let listing):
            guard !stopping else { break }
            // The clusters of a project whose list failed stay watched as the last listing found
            // them: an outage of the list stops no renewal. (Not at a reload, which may have
            // removed some of them from the watch list.)
            let found = Set(newConfig.clusters.map(\.name))
            newConfig.clusters += config.clusters.filter { listing.pruning.keptProjects.contains($0.projectID) && !found.contains($0.name) }
            apply(newConfig, contents, listing: listing, at: now, &actions)
            renewAllIfAsked(at: now, &actions)
        case .configRefused(let reason):
            refusedConfig = reason
            actions.append(.log(LogRecord(.error, "new configuration refused; still running on the previous one", [("error", reason)])))
            actions.append(.publish)
        case .renewAllRequested:
            guard !stopping else { break }
            actions.append(.log(LogRecord(.notice, "renewing every cluster now")))
            if config.needsFleetListing {
                renewAllAfterListing = true
                actions.append(.resolveFleet)
            } else {
                renewAll(at: now, &actions)
            }
        case .renewRequested(let name):
            guard !stopping, records[name] != nil else { break }
            records[name]?.state.certificate = nil
            evaluate(name, at: now, &actions)
            startFetches(at: now, &actions)
            actions.append(.publish)
        case .stopRequested:
            stopping = true
            for (name, record) in records.sorted(by: { $0.key < $1.key }) {
                if case .fetching = record.activity {
                    actions.append(.cancelFetch(watchName: name))
                    records[name]?.activity = .idle
                }
            }
            startWrite(final: true, &actions)
        }
        return actions
    }

    // MARK: - Scheduling

    /// Creates the record of every cluster of the watch list that has none, from the kubeconfig
    /// (the certificate there is the truth) and the state a previous run left.
    private mutating func adopt(_ contents: KubeconfigContents, persisted: [String: ClusterState] = [:]) {
        for cluster in config.clusters {
            if let record = records[cluster.name] {
                if record.cluster.clusterID != cluster.clusterID || record.cluster.projectID != cluster.projectID {
                    // Another cluster under the watch name (one re-created under its console
                    // name): the certificate held is not its, so it is due now, and the old
                    // cluster's failures do not hold it back.
                    records[cluster.name]?.state.certificate = nil
                    records[cluster.name]?.retry = ClusterRetryState()
                }
                records[cluster.name]?.cluster = cluster
                if records[cluster.name]?.entries == nil { records[cluster.name]?.entries = contents.entries[cluster.name] }
                continue
            }
            var state = persisted[cluster.name] ?? ClusterState()
            // The pacer that held it back is gone with the process that ran it.
            state.rateLimited = nil
            let existing = contents.entries[cluster.name]
            state.certificate = existing?.clientCertificate
            records[cluster.name] = Record(cluster: cluster, state: state, entries: existing)
        }
    }

    private mutating func evaluateAll(at now: Date, _ actions: inout [RefreshAction]) {
        for cluster in selected { evaluate(cluster.name, at: now, &actions) }
    }

    /// Arms the cluster's timer for its next renewal or retry, or queues it when that time has
    /// come. Only a cluster that waits is evaluated: one queued, fetching or fetched is on its way.
    private mutating func evaluate(_ name: String, at now: Date, _ actions: inout [RefreshAction]) {
        guard !stopping, let record = records[name] else { return }
        switch record.activity {
        case .idle, .scheduled: break
        case .queued, .fetching, .awaitingWrite, .beingWritten: return
        }
        let certificate = record.state.certificate
        let jitter = certificate.map { RenewalPolicy.jitterFraction(cluster: name, certificate: $0) } ?? 0
        let decision = policy.decide(certificate: certificate, lastRefresh: record.state.lastSuccess, now: now, jitterFraction: jitter)
        if case .pass = mode {
            if decision.renewAt <= now {
                enqueue(name, &actions)
            } else {
                records[name]?.state.nextAttempt = decision.renewAt
                passOutcomes[name] = .fresh(until: decision.renewAt, reason: decision.reason)
            }
            return
        }
        var due = max(decision.renewAt, record.retry.nextAttempt ?? .distantPast)
        if case .open(_, let until) = breakers[record.cluster.credentials]?.state {
            due = max(due, until)
        }
        records[name]?.state.nextAttempt = due
        if due <= now {
            enqueue(name, &actions)
        } else {
            schedule(name, at: due, &actions)
        }
    }

    private mutating func schedule(_ name: String, at date: Date, _ actions: inout [RefreshAction]) {
        if case .scheduled(let armed) = records[name]?.activity, armed == date { return }
        records[name]?.activity = .scheduled(at: date)
        actions.append(.arm(.renewal(watchName: name), at: date))
    }

    private mutating func enqueue(_ name: String, _ actions: inout [RefreshAction]) {
        guard !stopping, let record = records[name] else { return }
        switch record.activity {
        case .idle: break
        case .scheduled: actions.append(.cancel(.renewal(watchName: name)))
        case .queued, .fetching, .awaitingWrite, .beingWritten: return
        }
        queueOrder += 1
        records[name]?.activity = .queued(order: queueOrder)
    }

    /// Starts queued fetches, first come first served, while slots are free. A cluster whose
    /// credential set's circuit is open is scheduled for when it closes; one whose set's pacer
    /// waits stays queued, and the pacer's timer starts the set again.
    private mutating func startFetches(at now: Date, _ actions: inout [RefreshAction]) {
        var running = inFlight
        var paced: [String: Date] = [:]
        for (name, record) in queuedInOrder() {
            guard running < options.maximumInFlight else { break }
            let credentials = record.cluster.credentials
            if let until = paced[credentials] ?? pacers[credentials, default: options.pacer].earliestSend(after: now) {
                paced[credentials] = until
                if let reason = lastThrottle[credentials] {
                    records[name]?.state.rateLimited = ClusterState.RateLimitWait(until: until, reason: reason)
                }
                continue
            }
            var breaker = breakers[credentials] ?? CredentialCircuitBreaker(credential: breakerCredential(for: credentials))
            let permission = breaker.permission(at: now)
            breakers[credentials] = breaker
            if case .wait(let until) = permission {
                if case .pass = mode {
                    records[name]?.activity = .idle
                    passOutcomes[name] = .failed("not tried: credential set \"\(credentials)\" was refused (HTTP 401) for another cluster in this pass")
                } else {
                    records[name]?.state.nextAttempt = until
                    schedule(name, at: until, &actions)
                }
                continue
            }
            _ = pacers[credentials, default: options.pacer].permission(at: now)
            records[name]?.activity = .fetching(sentAt: now)
            records[name]?.state.rateLimited = nil
            actions.append(.fetch(record.cluster))
            running += 1
        }
        for (credentials, until) in paced.sorted(by: { $0.key < $1.key }) where pacerTimers[credentials] != until {
            pacerTimers[credentials] = until
            actions.append(.arm(.pacer(credentials: credentials), at: until))
        }
    }

    private func queuedInOrder() -> [(String, Record)] {
        records.compactMap { name, record -> (Int, String, Record)? in
            if case .queued(let order) = record.activity { (order, name, record) } else { nil }
        }.sorted { $0.0 < $1.0 }.map { ($0.1, $0.2) }
    }

    /// How a credential set authenticates, for its circuit breaker.
    private func breakerCredential(for credentials: String) -> CredentialCircuitBreaker.Credential {
        switch config.credentials[credentials] {
        case .password: .password
        case .token: .token
        case .aksk, .sdk, nil: .accessKey
        }
    }

    // MARK: - Fetch results

    private mutating func fetchFinished(
        _ name: String,
        _ result: Result<ManagedCluster, FetchFailure>,
        at now: Date,
        _ actions: inout [RefreshAction]
    ) {
        guard !stopping, let record = records[name], case .fetching(let sentAt) = record.activity else { return }
        let credentials = record.cluster.credentials
        if case .failure(let failure) = result, case .throttled(let retryAfter) = failure.kind {
            throttled(name, failure, sentAt: sentAt, retryAfter: retryAfter, at: now, &actions)
            startFetches(at: now, &actions)
            if case .pass = mode { writeIfPassIsDone(at: now, &actions) }
            actions.append(.publish)
            return
        }
        records[name]?.throttledInARow = 0
        if result.reachedTheGateway {
            pacers[credentials, default: options.pacer].recordSuccess()
        }
        switch result {
        case .success(let managed):
            records[name]?.activity = .awaitingWrite(managed)
            if case .service = mode, case .idle = write {
                write = .pending(firstResultAt: now)
                actions.append(.arm(.write, at: now.advanced(by: options.coalescingDelay)))
            }
            if breakers[credentials]?.recordSuccess() == .resume, case .service = mode {
                actions.append(.log(LogRecord(.notice, "credential set accepted again; resuming its clusters", [("credentials", credentials)])))
                evaluateAll(at: now, &actions)
            }
        case .failure(let failure):
            if failure.kind == .authentication,
               case .pause(let until)? = breakers[credentials]?.recordAuthenticationFailure(sentAt: sentAt, at: now) {
                actions.append(.log(LogRecord(
                    .error,
                    "credential set refused; pausing every cluster that uses it",
                    [("credentials", credentials), ("until", until.formatted(.iso8601))]
                )))
            }
            recordFailure(name, failure, at: now, &actions)
            if failure.kind == .notFound, record.cluster.consoleName != nil {
                // Looked up by its console name: the cluster may have been replaced by another of
                // that name. A pass only forgets the id, so that the next one lists the name again.
                actions.append(.forgetResolution(clusterID: record.cluster.clusterID))
                if case .service = mode { actions.append(.resolveFleet) }
            }
            if case .service = mode {
                // An opened circuit holds the set's other clusters back from now on.
                for other in config.clusters where other.credentials == credentials && other.name != name {
                    evaluate(other.name, at: now, &actions)
                }
            }
        }
        startFetches(at: now, &actions)
        if case .pass = mode { writeIfPassIsDone(at: now, &actions) }
        actions.append(.publish)
    }

    /// The API gateway answered 429: its credential set's pacer learns from it, and the cluster
    /// goes back to the head of the queue to wait for the pacer, without counting as a failure.
    private mutating func throttled(_ name: String, _ failure: FetchFailure, sentAt: Date, retryAfter: Duration?, at now: Date, _ actions: inout [RefreshAction]) {
        guard let record = records[name] else { return }
        let credentials = record.cluster.credentials
        pacers[credentials, default: options.pacer].recordThrottled(sentAt: sentAt, retryAfter: retryAfter, stated: failure.statedRateLimit, at: now)
        lastThrottle[credentials] = failure.message
        let attempts = record.throttledInARow + 1
        records[name]?.throttledInARow = attempts
        if case .pass = mode, attempts >= options.throttledAttemptsPerPass {
            records[name]?.state.rateLimited = nil
            recordFailure(name, failure, at: now, &actions)
            return
        }
        headOrder -= 1
        records[name]?.activity = .queued(order: headOrder)
        let pacer = pacers[credentials, default: options.pacer]
        let until = pacer.earliestSend(after: now) ?? now
        records[name]?.state.rateLimited = ClusterState.RateLimitWait(until: until, reason: failure.message)
        actions.append(.log(LogRecord(
            .notice,
            "API gateway throttled the credential set; pacing its requests",
            [("credentials", credentials), ("cluster", name), ("limit-per-minute", pacer.limit.map { "\($0)" } ?? "unknown"), ("until", until.formatted(.iso8601))]
        )))
    }

    private mutating func recordFailure(_ name: String, _ failure: FetchFailure, at now: Date, _ actions: inout [RefreshAction]) {
        guard var record = records[name] else { return }
        let next = record.retry.recordFailure(failure.kind, at: now, certificateExpiry: record.state.certificateNotAfter, jitterFraction: randomFraction())
        record.state.recordFailure(failure.message, at: now, retry: record.retry)
        record.activity = .idle
        records[name] = record
        actions.append(.log(LogRecord(.warning, "refresh failed", [("cluster", name), ("error", failure.message), ("retry", next.formatted(.iso8601))])))
        if case .pass = mode {
            passOutcomes[name] = .failed(failure.message)
        } else {
            evaluate(name, at: now, &actions)
        }
    }

    // MARK: - Writing

    private mutating func writeIfPassIsDone(at now: Date, _ actions: inout [RefreshAction]) {
        guard !burstGoesOn, case .idle = write else { return }
        startWrite(final: false, &actions)
    }

    private mutating func writeTimerFired(at now: Date, _ actions: inout [RefreshAction]) {
        if case .pending(let first) = write, burstGoesOn, now < first.advanced(by: options.burstWriteDelay) {
            actions.append(.arm(.write, at: now.advanced(by: options.coalescingDelay)))
            return
        }
        if case .running = write { return }
        startWrite(final: false, &actions)
    }

    /// Writes every fetched result, and prunes clusters that left the watch list, in one update.
    /// Once stopping, only the final write runs: the process may exit any moment after it.
    private mutating func startWrite(final: Bool, _ actions: inout [RefreshAction]) {
        guard !stopping || final else { return }
        if case .running = write { return }
        var batch: [ManagedCluster] = []
        for cluster in config.clusters {
            if case .awaitingWrite(let managed) = records[cluster.name]?.activity {
                batch.append(managed)
                records[cluster.name]?.activity = .beingWritten(managed)
            }
        }
        let removals = pendingRemovals
        let pruning: PrunePolicy? =
            switch mode {
            case .service, .pass(_, nil): prunePolicy
            case .pass(_, .some): nil
            }
        let passMustWrite = if case .pass = mode { true } else { false }
        guard !batch.isEmpty || !removals.isEmpty || pruneDue || passMustWrite else {
            write = .idle
            return
        }
        pendingRemovals = []
        pruneDue = false
        write = .running(removals: removals)
        actions.append(.write(WriteRequest(upserts: batch, removals: removals, pruning: pruning)))
    }

    private mutating func writeFinished(_ result: WriteResult, at now: Date, _ actions: inout [RefreshAction]) {
        guard case .running(let removals) = write else { return }
        write = .idle
        switch result {
        case .completed(let conflicts, let changed, let pruned):
            for cluster in config.clusters {
                guard case .beingWritten(let managed) = records[cluster.name]?.activity else { continue }
                let name = cluster.name
                if let conflict = conflicts[name] {
                    records[name]?.activity = .idle
                    recordFailure(name, FetchFailure(conflict, kind: .conflict), at: now, &actions)
                    continue
                }
                records[name]?.state.recordSuccess(at: now, certificate: managed.clientCertificate)
                records[name]?.retry.recordSuccess()
                records[name]?.entries = managed
                records[name]?.activity = .idle
                actions.append(.log(LogRecord(.info, "certificate refreshed", [("cluster", name), ("valid-until", managed.clientCertificate.notAfter.formatted(.iso8601))])))
                if case .pass = mode {
                    passOutcomes[name] = .refreshed(validUntil: managed.clientCertificate.notAfter, changed: changed.contains(name))
                } else {
                    evaluate(name, at: now, &actions)
                }
            }
            if !pruned.isEmpty {
                actions.append(.log(LogRecord(.notice, "removed clusters no longer in the watch list", [("clusters", "\(pruned.sorted())")])))
            }
        case .failed(let reason):
            actions.append(.log(LogRecord(.error, "cannot write the kubeconfig", [("error", reason)])))
            for cluster in config.clusters {
                guard case .beingWritten(let managed) = records[cluster.name]?.activity else { continue }
                if case .pass = mode {
                    records[cluster.name]?.activity = .idle
                    passOutcomes[cluster.name] = .failed(reason)
                } else {
                    records[cluster.name]?.activity = .awaitingWrite(managed)
                }
            }
            if case .service = mode, !stopping {
                pendingRemovals.formUnion(removals)
                pruneDue = true
                write = .pending(firstResultAt: now)
                actions.append(.arm(.write, at: now.advanced(by: options.failedWriteRetryDelay)))
            }
        }
        if case .service = mode, case .idle = write, !stopping, hasUnwrittenWork {
            write = .pending(firstResultAt: now)
            actions.append(.arm(.write, at: now.advanced(by: options.coalescingDelay)))
        }
        actions.append(.publish)
    }

    // MARK: - Healing, the tick, reloads

    private mutating func scheduleHeal(at now: Date, _ actions: inout [RefreshAction]) {
        guard case .service = mode, !healScheduled, !stopping else { return }
        healScheduled = true
        actions.append(.arm(.heal, at: now.advanced(by: options.healDelay)))
    }

    private mutating func timerFired(_ timer: RefreshTimer, at now: Date, _ actions: inout [RefreshAction]) {
        guard !stopping else { return }
        switch timer {
        case .renewal(let name):
            guard case .scheduled = records[name]?.activity else { return }
            records[name]?.activity = .idle
            evaluate(name, at: now, &actions)
            startFetches(at: now, &actions)
        case .write:
            writeTimerFired(at: now, &actions)
        case .heal:
            healScheduled = false
            let wanted = config.clusters.compactMap { records[$0.name]?.entries }
            if !wanted.isEmpty { actions.append(.heal(wanted)) }
        case .discovery:
            actions.append(.resolveFleet)
        case .pacer(let credentials):
            pacerTimers[credentials] = nil
            startFetches(at: now, &actions)
            actions.append(.publish)
        case .networkSettled:
            evaluateAll(at: now, &actions)
            startFetches(at: now, &actions)
            actions.append(.publish)
        }
    }

    private mutating func tick(_ sample: ClockSample, at now: Date, _ actions: inout [RefreshAction]) {
        guard case .service = mode, !stopping else { return }
        switch sleepDetector.observe(sample) {
        case .resumedFromSuspend(let slept):
            actions.append(.log(LogRecord(.notice, "resumed from suspend; re-checking after the network settles", [("slept", "\(slept)")])))
            actions.append(.arm(.networkSettled, at: now.advanced(by: options.networkSettleDelay)))
        case .wallClockJumped(let jump):
            actions.append(.log(LogRecord(.notice, "the wall clock jumped; re-checking every cluster", [("by", "\(jump)")])))
            evaluateAll(at: now, &actions)
        case .steady:
            evaluateAll(at: now, &actions)
        }
        startFetches(at: now, &actions)
        scheduleHeal(at: now, &actions)
        actions.append(.publish)
    }

    /// Applies a new set of clusters: new ones are evaluated now, the others keep their schedule,
    /// and those that left lose their timer and their running fetch.
    ///
    /// Without a listing (a watch list of ids only), the clusters that left the watch list are
    /// pruned. With one, the listing's policy decides: a cluster gone from a successful list is
    /// pruned, nothing a failed list could have shown is, and held clusters keep their entries.
    /// A listing that lets go of more than the last one prunes at once, even with no cluster
    /// leaving the watch list (one gone from a list that answers again after failing).
    private mutating func apply(_ newConfig: WatchListConfig, _ contents: KubeconfigContents, listing: FleetListing?, at now: Date, _ actions: inout [RefreshAction]) {
        let removed = Set(config.clusters.map(\.name)).subtracting(newConfig.clusters.map(\.name))
        let pruningBefore = prunePolicy
        config = newConfig
        policy = RenewalPolicy(maxRefresh: newConfig.maxRefresh)
        for name in removed.sorted() {
            switch records[name]?.activity {
            case .scheduled?: actions.append(.cancel(.renewal(watchName: name)))
            case .fetching?: actions.append(.cancelFetch(watchName: name))
            default: break
            }
            records[name] = nil
        }
        if let listing {
            fleetPruning = listing.pruning
            listingFailures = listing.failures
            for failure in listing.failures {
                actions.append(.log(LogRecord(.warning, "fleet listing failed; nothing it could have shown is pruned", [("error", failure)])))
            }
        } else {
            fleetPruning = nil
            listingFailures = []
            pendingRemovals.formUnion(removed)
        }
        adopt(contents)
        if !removed.isEmpty {
            actions.append(.log(LogRecord(.notice, "clusters left the watch list", [("clusters", "\(removed.sorted())")])))
        }
        let mustPrune = !removed.isEmpty || Self.prunePolicy(prunePolicy, letsGoOfMoreThan: pruningBefore)
        if mustPrune { pruneDue = true }
        evaluateAll(at: now, &actions)
        startFetches(at: now, &actions)
        if mustPrune, case .idle = write {
            write = .pending(firstResultAt: now)
            actions.append(.arm(.write, at: now.advanced(by: options.coalescingDelay)))
        }
        armDiscovery(at: now, &actions)
        actions.append(.publish)
    }

    /// Whether a write under `new` may remove entries a write under `old` had to keep.
    private static func prunePolicy(_ new: PrunePolicy, letsGoOfMoreThan old: PrunePolicy) -> Bool {
        guard !new.pruneNothing else { return false }
        return old.pruneNothing || !old.kept.isSubset(of: new.kept) || !old.keptProjects.isSubset(of: new.keptProjects)
    }

    /// Renews every watched cluster now, whatever its certificate or backoff.
    private mutating func renewAll(at now: Date, _ actions: inout [RefreshAction]) {
        for cluster in config.clusters {
            records[cluster.name]?.retry.recordSuccess()
            enqueue(cluster.name, &actions)
        }
        startFetches(at: now, &actions)
    }

    /// The renewal SIGUSR1 asked for, once the listing it asked for has come.
    private mutating func renewAllIfAsked(at now: Date, _ actions: inout [RefreshAction]) {
        guard renewAllAfterListing else { return }
        renewAllAfterListing = false
        renewAll(at: now, &actions)
    }

    /// Lists the fleet again after the shortest `interval` of the `discover:` rules.
    private func armDiscovery(at now: Date, _ actions: inout [RefreshAction]) {
        guard case .service = mode, let interval = config.discoveryInterval else { return }
        actions.append(.arm(.discovery, at: now.advanced(by: interval)))
    }
}

extension Result<ManagedCluster, FetchFailure> {
    /// Whether the request was let through by the API gateway, so its pacer counts it: any
    /// answer but a 429, a dead connection or no answer at all.
    fileprivate var reachedTheGateway: Bool {
        switch self {
        case .success: true
        case .failure(let failure):
            switch failure.kind {
            case .throttled, .network, .timeout: false
            case .authentication, .forbidden, .notFound, .server, .invalidResponse, .conflict: true
            }
        }
    }
}
