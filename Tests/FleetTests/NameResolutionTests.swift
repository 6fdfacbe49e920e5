import Fleet
import Foundation
import Kubeconfig
import Testing
import WatchList

/// `clusters:` entries that give names: each looked up once, and one sentence with the entry's
/// place when a name is wrong.
@Suite struct NameResolutionTests {
    typealias F = FleetFixtures

    private let byName = """
        credentials: {default: {type: sdk}}
        clusters:
          - cluster: prod-a
            region: cn-north-4
        """

    @Test func aConsoleNameIsResolvedToItsClusterAndTheRegionsProject() throws {
        let config = try F.config(byName)
        let resolution = F.resolve(config, clusters: [F.listQuery(): .success([F.cluster("prod-a", 1), F.cluster("prod-b", 2)])])
        #expect(resolution.isComplete)
        let cluster = try #require(resolution.clusters.first)
        #expect(resolution.clusters.count == 1)
        #expect(cluster.name == "prod-a")
        #expect(cluster.consoleName == "prod-a")
        #expect(cluster.clusterID == F.id(1))
        #expect(cluster.projectID == F.northProject)
        #expect(cluster.region == "cn-north-4")
    }

    @Test func theFirstRoundAsksForTheProjectAndTheSecondForItsClusters() throws {
        let config = try F.config(byName)
        #expect(FleetResolver.projectQueries(config, cache: .init()) == [F.projectQuery("cn-north-4")])
        #expect(FleetResolver.clusterQueries(config, cache: .init(), projects: F.projects) == [F.listQuery()])
    }

    @Test func aSubProjectIsLookedUpByItsName() throws {
        let config = try F.config(
            "credentials: {default: {type: sdk}}\nclusters:\n  - {cluster: dev-a, region: cn-north-4, project: cn-north-4_dev}\n"
        )
        let resolution = F.resolve(config, clusters: [F.listQuery(F.devProject): .success([F.cluster("dev-a", 7, project: F.devProject)])])
        #expect(resolution.clusters.map(\.projectID) == [F.devProject])
    }

    @Test func anUnknownRegionIsOneSentenceAtTheEntry() throws {
        let config = try F.config("credentials: {default: {type: sdk}}\nclusters:\n  - {cluster: prod-a, region: xx-north-9}\n")
        let resolution = F.resolve(config, clusters: [:], projects: [F.projectQuery("xx-north-9", region: "xx-north-9"): .success([])])
        #expect(
            resolution.problems == [
                ConfigProblem(
                    "cluster \"prod-a\": region \"xx-north-9\" is unknown: IAM has no project named like it for credentials default",
                    at: .at(3, 5)
                )
            ]
        )
        #expect(resolution.clusters.isEmpty)
        #expect(
            resolution.problems.map { $0.described(in: F.path) } == [
                "\(F.path):3:5: cluster \"prod-a\": region \"xx-north-9\" is unknown: IAM has no project named like it for credentials default"
            ]
        )
    }

    @Test func aNameThatMatchesNoClusterSaysWhichTheProjectHas() throws {
        let config = try F.config(byName)
        let resolution = F.resolve(config, clusters: [F.listQuery(): .success([F.cluster("prod-b", 2), F.cluster("prod-c", 3)])])
        #expect(
            resolution.problems == [
                ConfigProblem(
                    "cluster \"prod-a\": no cluster is named \"prod-a\" in project cn-north-4 (region cn-north-4); it has prod-b, prod-c",
                    at: .at(3, 5)
                )
            ]
        )
    }

    @Test func aNameThatMatchesTwoClustersAsksForTheID() throws {
        let config = try F.config(byName)
        let resolution = F.resolve(config, clusters: [F.listQuery(): .success([F.cluster("prod-a", 1), F.cluster("prod-a", 2)])])
        #expect(
            resolution.problems == [
                ConfigProblem(
                    "cluster \"prod-a\": 2 clusters are named \"prod-a\" in project cn-north-4 (region cn-north-4) (\(F.id(1)), \(F.id(2))); give \"cluster_id\" instead",
                    at: .at(3, 5)
                )
            ]
        )
    }

    @Test func aWrongNameHoldsTheEntriesAndPrunesNothing() throws {
        let config = try F.config(byName)
        let resolution = F.resolve(config, clusters: [F.listQuery(): .success([])])
        #expect(resolution.held == [.init(watchName: "prod-a", reason: .problem)])
        #expect(!resolution.pruning.mayPrune(Ownership(watchName: "old", projectID: F.northProject, clusterID: F.id(9))))
    }

    @Test func aFailedListHoldsTheEntryAndIsReported() throws {
        let config = try F.config(byName)
        let resolution = F.resolve(config, clusters: [F.listQuery(): .failure("HTTP 500 from CCE")])
        #expect(resolution.clusters.isEmpty)
        #expect(resolution.problems.isEmpty)
        #expect(resolution.held == [.init(watchName: "prod-a", reason: .lookupFailed)])
        #expect(
            resolution.failures.map(\.description) == [
                "cannot list the clusters of project \(F.northProject) in region cn-north-4: HTTP 500 from CCE"
            ]
        )
        #expect(!resolution.pruning.mayPrune(Ownership(watchName: "prod-a", projectID: F.northProject, clusterID: F.id(1))))
    }

    @Test func resolvedNamesAreCachedSoTheNextRoundListsNothing() throws {
        let config = try F.config(byName)
        let first = F.resolve(config, clusters: [F.listQuery(): .success([F.cluster("prod-a", 1)])])
        #expect(FleetResolver.projectQueries(config, cache: first.cache).isEmpty)
        #expect(FleetResolver.clusterQueries(config, cache: first.cache, projects: [:]).isEmpty)
        let second = F.resolve(config, cache: first.cache, clusters: [:], projects: [:])
        #expect(second.clusters.map(\.clusterID) == [F.id(1)])
    }

    @Test func forgettingAClusterAfterA404LooksItAndItsProjectUpAgain() throws {
        let config = try F.config(byName)
        var cache = F.resolve(config, clusters: [F.listQuery(): .success([F.cluster("prod-a", 1)])]).cache
        cache.forget(clusterID: F.id(1))
        #expect(FleetResolver.projectQueries(config, cache: cache) == [F.projectQuery("cn-north-4")])
        let recreated = F.resolve(config, cache: cache, clusters: [F.listQuery(): .success([F.cluster("prod-a", 5)])])
        #expect(recreated.clusters.map(\.clusterID) == [F.id(5)])
    }

    @Test func theCacheReadsBackFromJSONAsItWasWritten() throws {
        let cache = F.resolve(try F.config(byName), clusters: [F.listQuery(): .success([F.cluster("prod-a", 1)])]).cache
        let data = try JSONEncoder().encode(cache)
        #expect(try JSONDecoder().decode(ResolutionCache.self, from: data) == cache)
        #expect(cache.clusters == [ResolutionCache.Cluster(projectID: F.northProject, type: "cce", name: "prod-a", id: F.id(1))])
    }

    @Test func anAutopilotEntryIsLookedUpInTheAutopilotList() throws {
        let config = try F.config(
            "credentials: {default: {type: sdk}}\nclusters:\n  - {cluster: pilot, region: cn-north-4, type: autopilot}\n"
        )
        #expect(FleetResolver.clusterQueries(config, cache: .init(), projects: F.projects) == [F.listQuery(type: .autopilot)])
        let resolution = F.resolve(
            config,
            clusters: [F.listQuery(type: .autopilot): .success([F.cluster("pilot", 4, category: .autopilot)])]
        )
        #expect(resolution.clusters.map(\.type) == [.autopilot])
    }

    @Test func aClusterIDWithoutProjectIDNeedsOnlyTheProjectLookup() throws {
        let config = try F.config(
            "credentials: {default: {type: sdk}}\nclusters:\n  - {name: prod, cluster_id: \(F.id(3)), region: cn-north-4}\n"
        )
        #expect(FleetResolver.clusterQueries(config, cache: .init(), projects: F.projects).isEmpty)
        let resolution = F.resolve(config, clusters: [:])
        #expect(resolution.clusters.map(\.projectID) == [F.northProject])
        #expect(resolution.clusters.map(\.clusterID) == [F.id(3)])
    }

    @Test func entriesGivenByIDsNeedNoLookup() throws {
        let config = try F.config(
            """
            credentials: {default: {type: sdk}}
            clusters:
              - {name: prod, cluster_id: \(F.id(1)), project_id: \(F.northProject), region: cn-north-4}
            """
        )
        #expect(FleetResolver.projectQueries(config, cache: .init()).isEmpty)
        #expect(F.resolve(config, clusters: [:], projects: [:]).clusters == config.clusters)
    }
}
