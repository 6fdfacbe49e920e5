import Fleet
import Kubeconfig
import Renewal
import WatchList

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Every decision of `sync`, `run` and `demo` as a pure state machine, in the manner of
/// async-http-client's `HTTPConnectionPool.StateMachine`: a ``RefreshEvent`` and the wall-clock
/// time go in, ``RefreshAction``s come out, the IO is the shell's, the backoff's randomness is a
/// function passed in. A coordinator of its parts, whose policies the ``Mode`` sets:
/// ``ClusterRoster`` (every cluster's record and activity; each is due as its ``RenewalPolicy``
/// and ``ClusterRetryState`` say), ``FetchAdmission`` (queue, slots, pacers, circuit breakers),
/// ``WriteBatcher`` (when results, removals and pruning are written), `FleetScope` (what a write
/// may prune) and ``Upkeep`` (outside changes of the kubeconfig, suspends, clock steps).
package struct RefreshMachine: Sendable {
    package let mode: Mode
    package let options: Options
    package private(set) var config: WatchListConfig
    private let rounds: Rounds
    private var policy: RenewalPolicy
    private(set) var roster = ClusterRoster()
    private(set) var admission: FetchAdmission
    private(set) var batcher: WriteBatcher
    private(set) var scope: FleetScope
    private var upkeep: Upkeep
    private var stopping = false
    /// Why the last reload was refused, until a valid watch list comes.
    package private(set) var refusedConfig: String?
    private let randomFraction: @Sendable () -> Double
    /// A pass's outcome per selected watch name.
    package private(set) var passOutcomes: [String: PassOutcome] = [:]

    /// - Parameters:
    ///   - config: the watch list, its clusters resolved (given by id, looked up by name, or
    ///     discovered); its `discover:` rules say when to list the fleet again.
    ///   - fleetPruning: what the listing that resolved `config` lets go, when there was one.
    ///   - listingFailures: the list calls that listing could not make.
    ///   - randomFraction: a fresh value in [0, 1) at every call, for the backoff's jitter.
    package init(
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
        rounds = mode.rounds
        admission = FetchAdmission(policy: mode.admissionPolicy(options))
        batcher = WriteBatcher(policy: mode.writePolicy(options))
        upkeep = Upkeep(watches: mode.rounds.continuous, healDelay: options.healDelay, networkSettleDelay: options.networkSettleDelay)
        scope = FleetScope(listing: fleetPruning.map { FleetListing(pruning: $0, failures: listingFailures) }, prunes: mode.prunes)
        policy = RenewalPolicy(maxRefresh: config.maxRefresh)
        self.randomFraction = randomFraction
    }

    private var selected: [WatchedCluster] {
        guard let only = rounds.selection else { return config.clusters }
        return config.clusters.filter { only.contains($0.name) }
    }

    // MARK: - Events

    /// Takes one event seen at `now`; returns what to do, in order.
    package mutating func handle(_ event: RefreshEvent, at now: Date) -> [RefreshAction] {
        var actions: [RefreshAction] = []
        switch event {
        case .started(let contents, let persisted, let clocks):
            _ = roster.adopt(config.clusters, contents: contents, persisted: persisted)
            if let clocks { upkeep.started(clocks: clocks) }
            if rounds.forced {
                for cluster in selected { enqueue(cluster.name, &actions) }
            } else {
                for cluster in selected { evaluate(cluster.name, at: now, &actions) }
            }
            startFetches(at: now, &actions)
            if let at = upkeep.nextListing(every: config.discoveryInterval, at: now) { actions.append(.arm(.discovery, at: at)) }
            actions.append(.publish)
        case .timerFired(let timer):
            guard !stopping else { break }
            timerFired(timer, at: now, &actions)
        case .fetchFinished(let name, let result):
            fetchFinished(name, result, at: now, &actions)
        case .writeFinished(let result):
            writeFinished(result, at: now, &actions)
        case .healFinished(.checked(let restored)):
            if !restored.isEmpty { actions.append(.log(.restored(restored))) }
        case .healFinished(.unreadable(let reason)):
            actions.append(.log(.kubeconfigUnreadable(reason)))
            scheduleHeal(at: now, &actions)
        case .kubeconfigChanged:
            scheduleHeal(at: now, &actions)
        case .tick(let sample):
            guard !stopping, let tick = upkeep.tick(sample, at: now) else { break }
            switch tick {
            case .evaluateAfterResume(let at, let log):
                actions += [.log(log), .arm(.networkSettled, at: at)]
            case .evaluate(let log):
                if let log { actions.append(.log(log)) }
                evaluateAll(at: now, &actions)
            }
            startFetches(at: now, &actions)
            scheduleHeal(at: now, &actions)
            actions.append(.publish)
        case .configReloaded(var newConfig, let contents, let listing):
            guard !stopping else { break }
            refusedConfig = nil
            if let listing { newConfig.clusters = FleetScope.watched(newConfig.clusters, listing: listing, lastListed: config.clusters) }
            actions.append(.log(.configurationReloaded(clusters: newConfig.clusters.count)))
            apply(newConfig, contents, listing: listing, at: now, &actions)
        case .fleetListed(var newConfig, let contents, let listing):
            guard !stopping else { break }
            newConfig.clusters = FleetScope.watched(newConfig.clusters, listing: listing, lastListed: config.clusters)
            apply(newConfig, contents, listing: listing, at: now, &actions)
        case .configRefused(let reason):
            refusedConfig = reason
            actions += [.log(.configurationRefused(reason)), .publish]
        case .renewAllRequested:
            guard !stopping else { break }
            actions.append(.log(.renewingEveryCluster))
            if config.needsFleetListing {
                scope.renewAfterNextListing()
                actions.append(.resolveFleet)
            } else {
                renewAll(at: now, &actions)
            }
        case .credentialSourcesChanged(let sets):
            guard !stopping else { break }
            roster.forgetFailures(of: sets, [.local])
            forgetRefusals(of: sets)
            evaluateAll(at: now, fetching: true, &actions)
        case .renewRequested(let name):
            guard !stopping, roster.forgetCertificate(name) else { break }
            evaluate(name, at: now, &actions)
            startFetches(at: now, &actions)
            actions.append(.publish)
        case .stopRequested:
            stopping = true
            batcher.stop()
            for name in admission.abandonRunning() {
                actions.append(.cancelFetch(watchName: name))
                roster.release(name)
            }
            startWrite(final: true, &actions)
        }
        return actions
    }

    private mutating func timerFired(_ timer: RefreshTimer, at now: Date, _ actions: inout [RefreshAction]) {
        switch timer {
        case .renewal(let name):
            guard roster.timerFired(name) else { return }
            evaluate(name, at: now, &actions)
            startFetches(at: now, &actions)
        case .write:
            switch batcher.timerFired(at: now, burstGoesOn: !admission.isEmpty) {
            case .none: break
            case .rearm(let at): actions.append(.arm(.write, at: at))
            case .write: startWrite(&actions)
            }
        case .heal:
            upkeep.checkTimerFired()
            let wanted = roster.entriesToKeep
            if !wanted.isEmpty { actions.append(.heal(wanted)) }
        case .discovery:
            actions.append(.resolveFleet)
        case .pacer(let credentials):
            admission.pacerTimerFired(credentials: credentials)
            startFetches(at: now, &actions)
            actions.append(.publish)
        case .networkSettled:
            evaluateAll(at: now, fetching: true, &actions)
        }
    }

    // MARK: - Scheduling

    /// Evaluates every selected cluster; when `fetching`, also sends what is due and publishes.
    private mutating func evaluateAll(at now: Date, fetching: Bool = false, _ actions: inout [RefreshAction]) {
        for cluster in selected { evaluate(cluster.name, at: now, &actions) }
        guard fetching else { return }
        startFetches(at: now, &actions)
        actions.append(.publish)
    }

    /// Arms the cluster's timer for its next renewal or retry, or queues it when that time has
    /// come; a pass reports a cluster that is not due as fresh. Only a cluster that waits is
    /// evaluated: one admitted, fetched or being written is on its way.
    private mutating func evaluate(_ name: String, at now: Date, _ actions: inout [RefreshAction]) {
        guard !stopping, roster.waits(name), let record = roster[name] else { return }
        let (due, reason) = record.due(by: policy, heldUntil: admission.heldUntil(credentials: record.cluster.credentials), at: now)
        guard due > now else {
            if rounds.continuous { roster.setNextAttempt(name, due) }
            enqueue(name, &actions)
            return
        }
        roster.setNextAttempt(name, due)
        if rounds.continuous {
            schedule(name, at: due, &actions)
        } else {
            passOutcomes[name] = .fresh(until: due, reason: reason)
        }
    }

    private mutating func schedule(_ name: String, at date: Date, _ actions: inout [RefreshAction]) {
        if roster.schedule(name, at: date) { actions.append(.arm(.renewal(watchName: name), at: date)) }
    }

    private mutating func enqueue(_ name: String, _ actions: inout [RefreshAction]) {
        guard !stopping, let (cluster, cancelsTimer) = roster.admit(name) else { return }
        if cancelsTimer { actions.append(.cancel(.renewal(watchName: name))) }
        let credential = config.breakerCredential(for: cluster.credentials)
        admission.enqueue(FetchAdmission.Ticket(watchName: name, credentials: cluster.credentials, credential: credential))
    }

    /// Sends what admission lets go, and keeps the clusters it holds back informed; a pass writes
    /// once nothing goes on any more.
    private mutating func startFetches(at now: Date, _ actions: inout [RefreshAction]) {
        for decision in admission.admit(at: now) {
            switch decision {
            case .send(let name):
                roster.setRateLimit(name, nil)
                if let cluster = roster[name]?.cluster { actions.append(.fetch(cluster)) }
            case .paced(let name, let until, let reason):
                if let reason { roster.setRateLimit(name, ClusterState.RateLimitWait(until: until, reason: reason)) }
            case .held(let name, let until):
                roster.setNextAttempt(name, until)
                schedule(name, at: until, &actions)
            case .refused(let name, let credentials):
                roster.release(name)
                roundEnded(name, .notTried(refusedCredentials: credentials), at: now, &actions)
            case .armPacer(let credentials, let at):
                actions.append(.arm(.pacer(credentials: credentials), at: at))
            }
        }
        if batcher.fetchesEnded(burstGoesOn: !admission.isEmpty) { startWrite(&actions) }
    }

    /// A cluster's round ended with `outcome`: the service plans its next one, a pass reports it.
    private mutating func roundEnded(_ name: String, _ outcome: PassOutcome, at now: Date, _ actions: inout [RefreshAction]) {
        if rounds.continuous {
            evaluate(name, at: now, &actions)
        } else {
            passOutcomes[name] = outcome
        }
    }

    // MARK: - Fetch results

    private mutating func fetchFinished(
        _ name: String,
        _ result: Result<ManagedCluster, FetchFailure>,
        at now: Date,
        _ actions: inout [RefreshAction]
    ) {
        guard !stopping, let record = roster[name] else { return }
        let credentials = record.cluster.credentials
        switch (admission.finished(name, result, at: now), result) {
        case (.notInFlight, _):
            return
        case (.throttled(let until, let limit), .failure(let failure)):
            roster.setRateLimit(name, ClusterState.RateLimitWait(until: until, reason: failure.message))
            actions.append(.log(.throttled(credentials, cluster: name, until: until, limitPerMinute: limit)))
        case (.gaveUpThrottled, .failure(let failure)):
            roster.setRateLimit(name, nil)
            recordFailure(name, failure, at: now, &actions)
        case (.answered(_, let resumed), .success(let managed)):
            roster.fetched(name, managed)
            if let at = batcher.resultArrived(at: now) { actions.append(.arm(.write, at: at)) }
            if resumed {
                actions.append(.log(.credentialSetAccepted(credentials)))
                evaluateAll(at: now, &actions)
            }
        case (.answered(let paused, _), .failure(let failure)):
            if let paused { actions.append(.log(.credentialSetRefused(credentials, pausedUntil: paused))) }
            recordFailure(name, failure, at: now, &actions)
            if failure.kind == .notFound, record.cluster.consoleName != nil {
                // Looked up by its console name: the cluster may have been replaced by another of
                // that name. A pass only forgets the id, so that the next one lists the name again.
                actions.append(.forgetResolution(clusterID: record.cluster.clusterID))
                if rounds.continuous { actions.append(.resolveFleet) }
            }
            // An opened circuit holds the set's other clusters back from now on.
            for other in config.clusters where rounds.continuous && other.credentials == credentials && other.name != name {
                evaluate(other.name, at: now, &actions)
            }
        case (.throttled, .success), (.gaveUpThrottled, .success):
            preconditionFailure("admission throttles only a 429")
        }
        startFetches(at: now, &actions)
        actions.append(.publish)
    }

    private mutating func recordFailure(_ name: String, _ failure: FetchFailure, at now: Date, _ actions: inout [RefreshAction]) {
        guard let next = roster.failed(name, failure, at: now, jitterFraction: randomFraction()) else { return }
        actions.append(.log(.refreshFailed(name, failure, retry: next)))
        roundEnded(name, .failed(failure.sentence), at: now, &actions)
    }

    // MARK: - Writing

    /// Writes every fetched result, and prunes clusters that left the watch list, in one update,
    /// when the batcher lets it. Once stopping, only the `final` write runs.
    private mutating func startWrite(final: Bool = false, _ actions: inout [RefreshAction]) {
        guard let removals = batcher.begin(hasResults: roster.resultsWait, final: final) else { return }
        let upserts = roster.beginWrite()
        actions.append(.write(WriteRequest(upserts: upserts, removals: removals, pruning: scope.pruning(watching: config.clusters))))
    }

    private mutating func writeFinished(_ result: WriteResult, at now: Date, _ actions: inout [RefreshAction]) {
        guard batcher.isWriting else { return }
        let keepingResults = !result.succeeded && batcher.retriesFailedWrites
        let written = roster.endWrite(keepingResults: keepingResults)
        switch result {
        case .completed(let conflicts, let changed, let pruned):
            for (name, managed) in written {
                if let conflict = conflicts[name] {
                    recordFailure(name, FetchFailure(conflict, kind: .conflict), at: now, &actions)
                    continue
                }
                let validUntil = managed.clientCertificate.notAfter
                roster.written(name, managed, at: now)
                actions.append(.log(.certificateRefreshed(name, validUntil: validUntil)))
                roundEnded(name, .refreshed(validUntil: validUntil, changed: changed.contains(name)), at: now, &actions)
            }
            if !pruned.isEmpty { actions.append(.log(.pruned(pruned))) }
        case .failed(let reason):
            actions.append(.log(.writeFailed(reason)))
            for (name, _) in written where !keepingResults { roundEnded(name, .failed(reason), at: now, &actions) }
        }
        if let at = batcher.finished(succeeded: result.succeeded, at: now, resultsWait: roster.resultsWait) {
            actions.append(.arm(.write, at: at))
        }
        actions.append(.publish)
    }

    // MARK: - Healing, the tick, reloads

    private mutating func scheduleHeal(at now: Date, _ actions: inout [RefreshAction]) {
        guard !stopping, let at = upkeep.checkWanted(at: now) else { return }
        actions.append(.arm(.heal, at: at))
    }

    /// Applies a new set of clusters: new ones are evaluated now, the others keep their schedule,
    /// and those that left lose their timer and their running fetch; the fleet scope says what
    /// the next write prunes. A renewal of everything that waited for a listing goes now.
    private mutating func apply(
        _ newConfig: WatchListConfig,
        _ contents: KubeconfigContents,
        listing: FleetListing?,
        at now: Date,
        _ actions: inout [RefreshAction]
    ) {
        let before = config.clusters
        let previousCredentials = config.credentials
        config = newConfig
        policy = RenewalPolicy(maxRefresh: newConfig.maxRefresh)
        let departures = roster.adopt(newConfig.clusters, contents: contents)
        for departure in departures {
            if departure.wasScheduled { actions.append(.cancel(.renewal(watchName: departure.watchName))) }
            if admission.remove(departure.watchName) { actions.append(.cancelFetch(watchName: departure.watchName)) }
        }
        let change = scope.adopt(listing, watching: newConfig.clusters, before: before)
        actions += (listing?.failures ?? []).map { .log(.listingFailed($0)) }
        batcher.remove(change.removals)
        // The new watch list may have fixed what kept a request from being made, or given a set
        // other secrets.
        roster.forgetFailures(of: Set(newConfig.credentials.keys), [.local])
        forgetRefusals(of: Set(newConfig.credentials.keys.filter { previousCredentials[$0] != newConfig.credentials[$0] }))
        if !departures.isEmpty { actions.append(.log(.clustersLeft(departures.map(\.watchName).sorted()))) }
        evaluateAll(at: now, &actions)
        startFetches(at: now, &actions)
        if change.mustPrune, let at = batcher.mustPrune(at: now) { actions.append(.arm(.write, at: at)) }
        if let at = upkeep.nextListing(every: config.discoveryInterval, at: now) { actions.append(.arm(.discovery, at: at)) }
        actions.append(.publish)
        if scope.listingCame() { renewAll(at: now, &actions) }
    }

    /// Renews every watched cluster now, whatever its certificate or backoff.
    private mutating func renewAll(at now: Date, _ actions: inout [RefreshAction]) {
        roster.forgetFailures(of: Set(config.clusters.map(\.credentials)))
        for cluster in config.clusters { enqueue(cluster.name, &actions) }
        startFetches(at: now, &actions)
    }

    /// Other secrets for `sets`: a refusal of the old ones says nothing of them.
    private mutating func forgetRefusals(of sets: Set<String>) {
        for set in sets { admission.forgetRefusal(credentials: set) }
        roster.forgetFailures(of: sets, [.authentication])
    }
}
