import Kubeconfig
import WatchList

/// What the watch list means once its names are looked up: the clusters to fetch, those to keep
/// without fetching, what is wrong, and what may be pruned.
package struct FleetResolution: Sendable, Hashable {
    /// A watch name that keeps its entries but is not fetched now.
    package struct Held: Sendable, Hashable {
        package enum Reason: Sendable, Hashable {
            /// Discovery found the cluster in a phase it does not watch (`Hibernation`, ...).
            case phase(String)
            /// A lookup it needs did not answer; see ``FleetResolution/failures``.
            case lookupFailed
            /// Its name or the name of another cluster is wrong; see ``FleetResolution/problems``.
            case problem
        }

        package var watchName: String
        package var reason: Reason

        package init(watchName: String, reason: Reason) {
            self.watchName = watchName
            self.reason = reason
        }
    }

    /// A list call that did not answer; nothing it would have shown is pruned.
    package struct Failure: Sendable, Hashable, CustomStringConvertible {
        /// What was being listed: `the projects named cn-north-4 in region cn-north-4 (credentials default)`.
        package var listing: String
        package var message: String

        package var description: String { "cannot list \(listing): \(message)" }
    }

    /// One cluster of the fleet as `check-config --discover` shows it.
    package struct Row: Sendable, Hashable {
        package enum Source: String, Sendable, Hashable {
            /// An entry of `clusters:`.
            case listed
            /// Found by a `discover:` rule.
            case discovered
        }

        package enum State: Sendable, Hashable {
            case watched
            case held(Held.Reason)
        }

        package var watchName: String
        package var consoleName: String?
        package var region: String?
        /// The project's name where known, else its id.
        package var project: String
        package var clusterID: String
        package var source: Source
        package var state: State

        /// A cluster the watch list gives by both ids: listed, watched, its project by id.
        package init(listed cluster: WatchedCluster) {
            self.init(cluster: cluster, project: cluster.projectID, source: .listed, state: .watched)
        }

        init(cluster: WatchedCluster, project: String, source: Source, state: State) {
            self.watchName = cluster.name
            self.consoleName = cluster.consoleName
            self.region = cluster.region
            self.project = project
            self.clusterID = cluster.clusterID
            self.source = source
            self.state = state
        }
    }

    /// Fetch and write these: the listed clusters in config order, then the discovered ones
    /// (each rule's in list order).
    package var clusters: [WatchedCluster]
    package var held: [Held]
    /// Each one sentence with the place of the entry or rule in the config.
    package var problems: [ConfigProblem]
    package var failures: [Failure]
    /// The cache with what this round found.
    package var cache: ResolutionCache
    /// Every cluster resolved, watched or held, in the order of ``clusters``.
    package var rows: [Row]
    package var pruning: PrunePolicy

    /// Whether every lookup answered and nothing is wrong.
    package var isComplete: Bool { problems.isEmpty && failures.isEmpty }
}
