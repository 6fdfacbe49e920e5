import Fleet
import Kubeconfig
import Renewal
import WatchList

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Something that happened, as the shell around ``RefreshMachine`` reports it.
package enum RefreshEvent: Sendable {
    /// The first evaluation: the kubeconfig as found, the state a previous run left, and the
    /// clocks read now (the service compares each tick's with them to notice a suspend).
    case started(KubeconfigContents, persisted: [String: ClusterState], clocks: ClockSample?)
    /// A timer the machine armed with ``RefreshAction/arm(_:at:)`` fired.
    case timerFired(RefreshTimer)
    /// A fetch asked for with ``RefreshAction/fetch(_:)`` ended.
    case fetchFinished(watchName: String, Result<ManagedCluster, FetchFailure>)
    /// The write asked for with ``RefreshAction/write(_:)`` ended.
    case writeFinished(WriteResult)
    /// The check asked for with ``RefreshAction/heal(_:)`` ended.
    case healFinished(HealResult)
    /// Someone wrote, replaced or removed the kubeconfig (inotify).
    case kubeconfigChanged
    /// The 60 s safety tick, with the three clocks read at it.
    case tick(ClockSample)
    /// A new, already validated watch list (SIGHUP), its clusters resolved, and the kubeconfig
    /// as it is now; with the listing that resolved it, when it names clusters or discovers them.
    case configReloaded(WatchListConfig, KubeconfigContents, listing: FleetListing?)
    /// The fleet was listed again (the discovery interval, SIGUSR1, a 404 of a cluster looked up
    /// by name): the same watch list with the clusters the listing found.
    case fleetListed(WatchListConfig, KubeconfigContents, listing: FleetListing)
    /// A new watch list did not validate (SIGHUP): the machine goes on with the one it has and
    /// says so until a valid one comes.
    case configRefused(String)
    /// Renew every cluster now, whatever its certificate (SIGUSR1).
    case renewAllRequested
    /// What these credential sets' secrets are read from changed (a secret file written, a
    /// variable set): their clusters that failed without sending anything are tried again now.
    case credentialSourcesChanged(Set<String>)
    /// `credential N` found the certificate of `watchName` missing, expiring or fetched for
    /// another cluster, whatever the machine believed of it: renew it as soon as its backoff
    /// and its credential set's breaker allow.
    case renewRequested(watchName: String)
    /// Stop: write what was fetched, start nothing new (SIGTERM).
    case stopRequested
}

/// The timers the machine arms; the shell keeps at most one of each, and arming one again moves it.
package enum RefreshTimer: Sendable, Hashable {
    /// A cluster's next renewal or retry.
    case renewal(watchName: String)
    /// The coalesced write of fetched results, or its retry after a failed write.
    case write
    /// The check of the managed entries after an outside change of the kubeconfig.
    case heal
    /// The re-evaluation once the network has had time to come back after a resume.
    case networkSettled
    /// The next listing of the fleet, for `discover:` rules.
    case discovery
    /// The moment a credential set's pacer lets its next request go, after the API gateway
    /// throttled the set.
    case pacer(credentials: String)
}

/// What the kubeconfig holds of cce-kubeconfigd's, read by the shell for the machine.
package struct KubeconfigContents: Sendable, Hashable {
    /// Per watch name, its entries as they are (with a readable client certificate).
    package var entries: [String: ManagedCluster]

    package init(entries: [String: ManagedCluster] = [:]) {
        self.entries = entries
    }
}

/// How a write ended.
package enum WriteResult: Sendable, Hashable {
    /// Planned and carried out (or found unnecessary).
    /// - Parameters:
    ///   - conflicts: per watch name not written, the sentence naming the foreign entry in its way.
    ///   - changed: the watch names whose entries changed in the file.
    ///   - pruned: the watch names whose entries were removed.
    case completed(conflicts: [String: String], changed: Set<String>, pruned: Set<String>)
    /// Nothing written: the kubeconfig could not be read, parsed, locked or written.
    case failed(String)
}

/// How a check of the managed entries after an outside change ended.
package enum HealResult: Sendable, Hashable {
    /// Every wanted entry is as it should be; `restored` names what had to be put back.
    case checked(restored: [String])
    /// The file could not be read or planned against, e.g. caught halfway through kubectl's
    /// in-place rewrite: worth looking again shortly.
    case unreadable(String)
}
