import Fleet
import Kubeconfig
import Testing
import WatchList

/// What a write may prune, from the watch list and the last listing of the fleet.
@Suite struct FleetScopeTests {
    let project = String(repeating: "0", count: 32)
    let otherProject = String(repeating: "1", count: 32)

    func watched(_ name: String, project: String? = nil, listed: Bool = false) -> WatchedCluster {
        WatchedCluster(
            name: name,
            projectID: project ?? self.project,
            clusterID: "cluster-\(name)",
            region: "cn-north-4",
            consoleName: listed ? name : nil,
            options: ClusterOptions(credentials: "main")
        )
    }

    @Test func withoutAListingExactlyTheWatchedClustersAreKept() {
        let scope = FleetScope(listing: nil)
        #expect(scope.pruning(watching: [watched("a"), watched("b")]) == PrunePolicy(kept: ["a", "b"]))
    }

    @Test func aListingsPolicyIsUnitedWithTheWatchedClusters() {
        let scope = FleetScope(listing: FleetListing(pruning: PrunePolicy(kept: ["held"], keptProjects: [otherProject])))
        #expect(scope.pruning(watching: [watched("a")]) == PrunePolicy(kept: ["a", "held"], keptProjects: [otherProject]))
    }

    @Test func aPassOverSomeClustersPrunesNothing() {
        let scope = FleetScope(listing: nil, prunes: false)
        #expect(scope.pruning(watching: [watched("a")]) == nil)
    }

    @Test func aClusterLeavingAWatchListOfIdsIsRemovedByName() {
        var scope = FleetScope(listing: nil)
        let change = scope.adopt(nil, watching: [watched("a")], before: [watched("a"), watched("b")])
        #expect(change == FleetScope.Change(removals: ["b"], mustPrune: true))
    }

    @Test func aClusterLeavingAListedWatchListIsLeftToTheListingsPolicy() {
        var scope = FleetScope(listing: FleetListing(pruning: PrunePolicy(kept: ["a", "b"])))
        let change = scope.adopt(
            FleetListing(pruning: PrunePolicy(kept: ["a"])),
            watching: [watched("a")],
            before: [watched("a"), watched("b")]
        )
        #expect(change == FleetScope.Change(removals: [], mustPrune: true))
    }

    @Test func aListingThatLetsGoOfMoreCallsForAPruneThoughNoClusterLeft() {
        var scope = FleetScope(listing: FleetListing(pruning: PrunePolicy(kept: [], keptProjects: [project], pruneNothing: true)))
        let change = scope.adopt(FleetListing(pruning: PrunePolicy(kept: ["a"])), watching: [watched("a")], before: [watched("a")])
        #expect(change.mustPrune)
    }

    @Test func aListingThatKeepsAsMuchCallsForNoPrune() {
        var scope = FleetScope(listing: FleetListing(pruning: PrunePolicy(kept: ["a"])))
        let change = scope.adopt(
            FleetListing(pruning: PrunePolicy(kept: ["a", "new"])),
            watching: [watched("a"), watched("new")],
            before: [watched("a")]
        )
        #expect(!change.mustPrune)
    }

    @Test func aListingThatPrunesNothingNeverCallsForAPrune() {
        var scope = FleetScope(listing: FleetListing(pruning: PrunePolicy(kept: ["a", "b"])))
        let failed = FleetListing(pruning: PrunePolicy(kept: ["a"], pruneNothing: true), failures: ["cannot list the projects"])
        let change = scope.adopt(failed, watching: [watched("a")], before: [watched("a")])
        #expect(!change.mustPrune)
        #expect(scope.listingFailures == ["cannot list the projects"])
    }

    @Test func theListingFailuresLastUntilAListingAnswersInFull() {
        var scope = FleetScope(listing: FleetListing(pruning: PrunePolicy(kept: []), failures: ["cannot list"]))
        #expect(scope.listingFailures == ["cannot list"])
        _ = scope.adopt(FleetListing(pruning: PrunePolicy(kept: ["a"])), watching: [watched("a")], before: [])
        #expect(scope.listingFailures.isEmpty)
    }

    @Test func theClustersLastListedInAProjectWhoseListFailedStayWatched() {
        let failed = FleetListing(pruning: PrunePolicy(kept: [], keptProjects: [project]), failures: ["HTTP 500"])
        let last = [watched("a", listed: true), watched("b", project: otherProject, listed: true)]
        #expect(FleetScope.watched([], listing: failed, lastListed: last) == [watched("a", listed: true)])
    }

    @Test func aClusterGivenByIdIsNotKeptByAFailedList() {
        let failed = FleetListing(pruning: PrunePolicy(kept: [], keptProjects: [project]), failures: ["HTTP 500"])
        #expect(FleetScope.watched([], listing: failed, lastListed: [watched("by-id")]).isEmpty)
    }

    @Test func aRenewalWaitsForTheNextListingOnly() {
        var scope = FleetScope(listing: nil)
        let unasked = scope.listingCame()
        scope.renewAfterNextListing()
        let asked = scope.listingCame()
        let again = scope.listingCame()
        #expect(!unasked)
        #expect(asked)
        #expect(!again)
    }
}
