import Fleet
import Kubeconfig
import WatchList

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Something ``RefreshMachine`` asks its shell to do. The shell reports how IO ended with a
/// ``RefreshEvent``; timers and logs need no answer.
package enum RefreshAction: Sendable, Hashable {
    /// Fetch this cluster's certificate; report ``RefreshEvent/fetchFinished(watchName:_:)``.
    case fetch(WatchedCluster)
    /// Abandon the fetch of this watch name: its cluster left the watch list.
    case cancelFetch(watchName: String)
    /// Write these entries and removals in one kubeconfig update; report
    /// ``RefreshEvent/writeFinished(_:)``.
    case write(WriteRequest)
    /// Check that these entries are in the kubeconfig as they should be, restoring any that are
    /// not; report ``RefreshEvent/healFinished(_:)``.
    case heal([ManagedCluster])
    /// List the fleet again; report ``RefreshEvent/fleetListed(_:_:listing:)``.
    case resolveFleet
    /// Drop the remembered id of a cluster found by its console name, and its project's: a fetch
    /// answered 404, so the next listing looks the name up again. Comes before a
    /// ``resolveFleet`` it is meant for; needs no answer.
    case forgetResolution(clusterID: String)
    /// Arm (or move) a timer to fire at a wall-clock instant.
    case arm(RefreshTimer, at: Date)
    /// Disarm a timer.
    case cancel(RefreshTimer)
    /// The per-cluster states changed: tell systemd and write the state file.
    case publish
    /// One line for the log.
    case log(LogRecord)
}

/// One kubeconfig update.
package struct WriteRequest: Sendable, Hashable {
    /// The entries to write, one cluster per watch name.
    package var upserts: [ManagedCluster]
    /// Watch names whose managed entries are removed.
    package var removals: Set<String>
    /// When set, the managed entries it lets go are removed too: those of clusters that left a
    /// valid watch list, or a successful listing. `nil` prunes nothing more (a partial `sync`).
    package var pruning: PrunePolicy?

    package init(upserts: [ManagedCluster], removals: Set<String> = [], pruning: PrunePolicy? = nil) {
        self.upserts = upserts
        self.removals = removals
        self.pruning = pruning
    }
}

/// A log line as the machine decides it; the shell hands it to swift-log.
package struct LogRecord: Sendable, Hashable {
    package enum Level: Sendable, Hashable {
        case debug, info, notice, warning, error
    }

    package var level: Level
    package var message: String
    /// Key–value pairs, in order; never a secret.
    package var metadata: [(String, String)]

    package init(_ level: Level, _ message: String, _ metadata: [(String, String)] = []) {
        self.level = level
        self.message = message
        self.metadata = metadata
    }

    package static func == (lhs: LogRecord, rhs: LogRecord) -> Bool {
        lhs.level == rhs.level && lhs.message == rhs.message
            && lhs.metadata.map(\.0) == rhs.metadata.map(\.0) && lhs.metadata.map(\.1) == rhs.metadata.map(\.1)
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(level)
        hasher.combine(message)
        for (key, value) in metadata {
            hasher.combine(key)
            hasher.combine(value)
        }
    }
}
