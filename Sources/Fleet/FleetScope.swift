import WatchList

/// What a listing of the fleet (names looked up, `discover:` rules applied) lets the refresh
/// core do.
package struct FleetListing: Sendable, Hashable {
    /// What may be pruned: a cluster gone from a successful list, never one a failed list could
    /// have shown, never a held one (its phase is not watched).
    package var pruning: PrunePolicy
    /// One sentence per list call that did not answer, and per problem of the watch list.
    package var failures: [String]

    package init(pruning: PrunePolicy, failures: [String] = []) {
        self.pruning = pruning
        self.failures = failures
    }
}

/// What a write of the refresh core may prune, from the watch list and the last listing of the
/// fleet; the one place that answers it.
///
/// Without a listing (a watch list of ids only) exactly the watched clusters are kept, and those
/// that leave the watch list are removed by name. With one, the listing's ``PrunePolicy`` decides,
/// united with the watched clusters: a cluster gone from a successful list is pruned, nothing a
/// failed list could have shown is, and held clusters keep their entries. A listing that lets go
/// of more than the last one calls for a write at once, even when no cluster left the watch list
/// (one gone from a list that answers again after failing).
package struct FleetScope: Sendable, Hashable {
    /// Whether writes prune at all: a pass over some clusters prunes nothing.
    package let prunes: Bool
    /// What the last listing lets go; `nil` without one.
    package private(set) var listed: PrunePolicy?
    /// The list calls the last listing could not make, each one sentence: shown until a listing
    /// answers in full.
    package private(set) var listingFailures: [String]
    /// A renewal of every cluster waits for the listing it asked for, so that a cluster deleted
    /// or hibernated since the last listing is not asked for.
    package private(set) var renewalAwaitsListing = false

    /// How one new watch list and its listing change what is pruned.
    package struct Change: Sendable, Hashable {
        /// Watch names to remove by name: those that left a watch list of ids only.
        package var removals: Set<String>
        /// Whether the next write must prune, even with nothing fetched.
        package var mustPrune: Bool

        package init(removals: Set<String>, mustPrune: Bool) {
            self.removals = removals
            self.mustPrune = mustPrune
        }
    }

    package init(listing: FleetListing?, prunes: Bool = true) {
        self.prunes = prunes
        listed = listing?.pruning
        listingFailures = listing?.failures ?? []
    }

    /// What a write may prune while `watched` are watched; `nil` when writes prune nothing.
    package func pruning(watching watched: [WatchedCluster]) -> PrunePolicy? {
        prunes ? policy(watching: watched) : nil
    }

    /// Takes the listing that resolved a new watch list (`nil` for one of ids only), watching
    /// `watched` instead of `before`.
    package mutating func adopt(_ listing: FleetListing?, watching watched: [WatchedCluster], before: [WatchedCluster]) -> Change {
        let left = Set(before.map(\.name)).subtracting(watched.map(\.name))
        let previous = policy(watching: before)
        listed = listing?.pruning
        listingFailures = listing?.failures ?? []
        let mustPrune = !left.isEmpty || Self.policy(policy(watching: watched), letsGoOfMoreThan: previous)
        return Change(removals: listing == nil ? left : [], mustPrune: mustPrune)
    }

    /// The clusters a listing found, plus those the last one found in projects whose list failed
    /// now: an outage of a list stops no renewal, at a re-listing or a reload alike.
    package static func watched(_ found: [WatchedCluster], listing: FleetListing, lastListed: [WatchedCluster]) -> [WatchedCluster] {
        let names = Set(found.map(\.name))
        return found
            + lastListed.filter { cluster in
                cluster.consoleName != nil && listing.pruning.keptProjects.contains(cluster.projectID) && !names.contains(cluster.name)
            }
    }

    /// Renews every cluster once the next listing has come.
    package mutating func renewAfterNextListing() {
        renewalAwaitsListing = true
    }

    /// A listing came: whether a renewal waited for it (and now goes).
    package mutating func listingCame() -> Bool {
        defer { renewalAwaitsListing = false }
        return renewalAwaitsListing
    }

    private func policy(watching watched: [WatchedCluster]) -> PrunePolicy {
        let names = Set(watched.map(\.name))
        guard let listed else { return PrunePolicy(kept: names) }
        return PrunePolicy(kept: listed.kept.union(names), keptProjects: listed.keptProjects, pruneNothing: listed.pruneNothing)
    }

    /// Whether a write under `new` may remove entries a write under `old` had to keep.
    private static func policy(_ new: PrunePolicy, letsGoOfMoreThan old: PrunePolicy) -> Bool {
        guard !new.pruneNothing else { return false }
        return old.pruneNothing || !old.kept.isSubset(of: new.kept) || !old.keptProjects.isSubset(of: new.keptProjects)
    }
}
