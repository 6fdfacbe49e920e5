import Fleet
import Testing
import WatchList

/// What the resolver remembers between listings, and how concurrent listings and a 404 combine.
@Suite struct ResolutionCacheTests {
    static let project = FleetFixtures.northProject

    func cluster(_ name: String, _ number: Int) -> ResolutionCache.Cluster {
        ResolutionCache.Cluster(projectID: Self.project, type: "cce", name: name, id: FleetFixtures.id(number))
    }

    let region = ResolutionCache.Project(
        credentials: "default",
        cloud: "huaweicloud",
        region: "cn-north-4",
        name: "cn-north-4",
        id: project
    )

    @Test func forgettingAClusterDropsItAndItsProject() {
        var cache = ResolutionCache(projects: [region], clusters: [cluster("web", 1)])
        cache.forget(clusterID: FleetFixtures.id(1))
        #expect(cache.isEmpty)
    }

    @Test func anIdForgottenWhileAListingRanStaysForgotten() {
        let start = ResolutionCache(projects: [region], clusters: [cluster("web", 1), cluster("db", 2)])
        var current = start
        current.forget(clusterID: FleetFixtures.id(1))
        // The listing used the cache as it was, so it still holds web's old id.
        let found = start
        let merged = found.merged(since: start, into: current)
        #expect(merged.clusterID(named: "web", projectID: Self.project, type: .cce) == nil)
        #expect(merged.clusterID(named: "db", projectID: Self.project, type: .cce) == FleetFixtures.id(2))
    }

    @Test func whatAnotherListingFoundMeanwhileIsKept() {
        let start = ResolutionCache(projects: [region])
        let current = ResolutionCache(projects: [region], clusters: [cluster("db", 2)])
        let found = ResolutionCache(projects: [region], clusters: [cluster("web", 1)])
        let merged = found.merged(since: start, into: current)
        #expect(merged.clusters == [cluster("db", 2), cluster("web", 1)])
    }

    @Test func aNameFoundAgainUnderANewIdReplacesTheOld() {
        let start = ResolutionCache(projects: [region])
        let found = ResolutionCache(projects: [region], clusters: [cluster("web", 3)])
        #expect(found.merged(since: start, into: start).clusterID(named: "web", projectID: Self.project, type: .cce) == FleetFixtures.id(3))
    }
}
