import Fleet
import Kubeconfig
import Testing
import WatchList

/// `discover:`: which listed clusters are watched, held or pruned, and how names must not collide.
@Suite struct DiscoveryResolutionTests {
    typealias F = FleetFixtures

    private func config(_ rule: String, clusters: String = "[]", defaults: String = "{}") throws -> WatchListConfig {
        try F.config("credentials: {default: {type: sdk}}\ndefaults: \(defaults)\nclusters: \(clusters)\ndiscover:\n  - \(rule)\n")
    }

    private func owner(_ name: String, _ number: Int, project: String = F.northProject) -> Ownership {
        Ownership(watchName: name, projectID: project, clusterID: F.id(number))
    }

    @Test func everyAvailableClusterOfTheRegionIsWatched() throws {
        let resolution = F.resolve(
            try config("{regions: [cn-north-4]}"),
            clusters: [F.listQuery(): .success([F.cluster("prod-a", 1), F.cluster("prod-b", 2)])]
        )
        #expect(resolution.isComplete)
        #expect(resolution.clusters.map(\.name) == ["prod-a", "prod-b"])
        #expect(resolution.clusters.map(\.consoleName) == ["prod-a", "prod-b"])
        #expect(resolution.clusters.map(\.projectID) == [F.northProject, F.northProject])
    }

    @Test func aHibernatingClusterIsHeldNotFetched() throws {
        let resolution = F.resolve(
            try config("{regions: [cn-north-4]}"),
            clusters: [F.listQuery(): .success([F.cluster("sleepy", 1, phase: "Hibernation")])]
        )
        #expect(resolution.clusters.isEmpty)
        #expect(resolution.held == [.init(watchName: "sleepy", reason: .phase("Hibernation"))])
        #expect(!resolution.pruning.mayPrune(owner("sleepy", 1)))
    }

    @Test func aClusterGoneFromASuccessfulListIsPruned() throws {
        let resolution = F.resolve(try config("{regions: [cn-north-4]}"), clusters: [F.listQuery(): .success([F.cluster("prod-a", 1)])])
        #expect(resolution.pruning.mayPrune(owner("deleted", 2)))
        #expect(!resolution.pruning.mayPrune(owner("prod-a", 1)))
    }

    @Test func aFailedListPrunesNothingOfItsProject() throws {
        let config = try config("{regions: [cn-north-4, ap-southeast-1]}")
        let resolution = F.resolve(
            config,
            clusters: [
                F.listQuery(): .failure("timed out after 30s"),
                F.listQuery(F.southProject, region: "ap-southeast-1"): .success([
                    F.cluster("south", 3, region: "ap-southeast-1", project: F.southProject)
                ]),
            ]
        )
        #expect(resolution.clusters.map(\.name) == ["south"])
        #expect(
            resolution.failures.map(\.description) == [
                "cannot list the clusters of project \(F.northProject) in region cn-north-4: timed out after 30s"
            ]
        )
        #expect(!resolution.pruning.mayPrune(owner("north", 1)))
        #expect(resolution.pruning.mayPrune(owner("gone", 4, project: F.southProject)))
    }

    @Test func aFailedProjectLookupPrunesNothingAtAll() throws {
        let resolution = F.resolve(
            try config("{regions: [cn-north-4]}"),
            clusters: [:],
            projects: [F.projectQuery("cn-north-4"): .failure("HTTP 401 from IAM")]
        )
        #expect(
            resolution.failures.map(\.description) == [
                "cannot list the projects named \"cn-north-4\" in region cn-north-4 (credentials default): HTTP 401 from IAM"
            ]
        )
        #expect(!resolution.pruning.mayPrune(owner("anything", 1, project: F.southProject)))
    }

    @Test func anUnknownRegionIsReportedAtTheRule() throws {
        let resolution = F.resolve(
            try config("{regions: [xx-north-9]}"),
            clusters: [:],
            projects: [F.projectQuery("xx-north-9", region: "xx-north-9"): .success([])]
        )
        #expect(
            resolution.problems == [
                ConfigProblem(
                    "this discover item: region \"xx-north-9\" is unknown: IAM has no project named like it for credentials default",
                    at: .at(5, 5)
                )
            ]
        )
    }

    @Test func listedEntriesWinOverDiscoveredOnesWithTheSameCluster() throws {
        let config = try config(
            "{regions: [cn-north-4]}",
            clusters: "[{name: mine, cluster: prod-a, region: cn-north-4, namespace: team-a}]"
        )
        let resolution = F.resolve(config, clusters: [F.listQuery(): .success([F.cluster("prod-a", 1), F.cluster("prod-b", 2)])])
        #expect(resolution.isComplete)
        #expect(resolution.clusters.map(\.name) == ["mine", "prod-b"])
        #expect(resolution.clusters.first?.namespace == "team-a")
    }

    @Test func aDiscoveredNameTakenByAListedEntryIsAProblem() throws {
        let config = try config(
            "{regions: [cn-north-4]}",
            clusters: "[{name: prod-a, cluster_id: \(F.id(9)), project_id: \(F.northProject), region: cn-north-4}]"
        )
        let resolution = F.resolve(config, clusters: [F.listQuery(): .success([F.cluster("prod-a", 1)])])
        #expect(
            resolution.problems == [
                ConfigProblem(
                    "cluster \"prod-a\" in region cn-north-4 (project cn-north-4) would be watched as \"prod-a\", the name of the cluster listed under clusters:; "
                        + "exclude it here or change context_name",
                    at: .at(5, 5)
                )
            ]
        )
        #expect(resolution.clusters.map(\.clusterID) == [F.id(9)])
    }

    @Test func aListedEntryWhoseLookupFailedKeepsItsNameFromDiscovery() throws {
        let config = try config("{regions: [ap-southeast-1]}", clusters: "[{cluster: prod, region: cn-north-4}]")
        let resolution = F.resolve(
            config,
            clusters: [
                F.listQuery(): .failure("timed out after 30s"),
                F.listQuery(F.southProject, region: "ap-southeast-1"): .success([
                    F.cluster("prod", 2, region: "ap-southeast-1", project: F.southProject)
                ]),
            ]
        )
        #expect(resolution.clusters.isEmpty)
        #expect(resolution.held == [.init(watchName: "prod", reason: .lookupFailed)])
        #expect(resolution.problems.map(\.location) == [.at(5, 5)])
    }

    @Test func sameNamedClustersInTwoRegionsAreRefusedNamingBoth() throws {
        let resolution = F.resolve(
            try config("{regions: [cn-north-4, ap-southeast-1]}"),
            clusters: [
                F.listQuery(): .success([F.cluster("prod", 1)]),
                F.listQuery(F.southProject, region: "ap-southeast-1"): .success([
                    F.cluster("prod", 2, region: "ap-southeast-1", project: F.southProject)
                ]),
            ]
        )
        #expect(
            resolution.problems == [
                ConfigProblem(
                    "two clusters would be watched as \"prod\": \"prod\" in region cn-north-4 (project cn-north-4) and \"prod\" in region ap-southeast-1 "
                        + "(project ap-southeast-1); a context_name such as \"{region}-{name}\" tells them apart",
                    at: .at(5, 5)
                )
            ]
        )
        #expect(resolution.clusters.isEmpty)
        #expect(resolution.held == [.init(watchName: "prod", reason: .problem)])
    }

    @Test func theRegionInTheTemplateTellsThemApart() throws {
        let resolution = F.resolve(
            try config("{regions: [cn-north-4, ap-southeast-1], context_name: \"{region}-{name}\"}"),
            clusters: [
                F.listQuery(): .success([F.cluster("prod", 1)]),
                F.listQuery(F.southProject, region: "ap-southeast-1"): .success([
                    F.cluster("prod", 2, region: "ap-southeast-1", project: F.southProject)
                ]),
            ]
        )
        #expect(resolution.isComplete)
        #expect(resolution.clusters.map(\.name) == ["cn-north-4-prod", "ap-southeast-1-prod"])
    }

    @Test func aConsoleNameThatIsNoWatchNameIsReportedAndNotWatched() throws {
        let resolution = F.resolve(
            try config("{regions: [cn-north-4]}"),
            clusters: [F.listQuery(): .success([F.cluster("Prod", 1), F.cluster("ok", 2)])]
        )
        #expect(
            resolution.problems.map(\.message) == [
                "context_name \"{name}\" makes \"Prod\" of cluster \"Prod\" in region cn-north-4, which is not a valid watch name "
                    + "(lowercase letters, digits, \"-\", \".\" and \"_\", starting and ending with a letter or digit)"
            ]
        )
        #expect(resolution.clusters.map(\.name) == ["ok"])
    }

    @Test func autopilotClustersTakeTheAutopilotTypeAndList() throws {
        let config = try config("{regions: [cn-north-4], categories: [Autopilot]}")
        #expect(FleetResolver.clusterQueries(config, cache: .init(), projects: F.projects) == [F.listQuery(type: .autopilot)])
        let resolution = F.resolve(
            config,
            clusters: [F.listQuery(type: .autopilot): .success([F.cluster("pilot", 1, category: .autopilot)])]
        )
        #expect(resolution.clusters.map(\.type) == [.autopilot])
    }

    @Test func discoveredClustersCarryTheRulesOptions() throws {
        let config = try config(
            "{regions: [cn-north-4], proxy_url: \"socks5://127.0.0.1:1080\"}",
            defaults: "{namespace: team-a, duration_days: 1}"
        )
        let cluster = try #require(F.resolve(config, clusters: [F.listQuery(): .success([F.cluster("prod-a", 1)])]).clusters.first)
        #expect(cluster.namespace == "team-a")
        #expect(cluster.durationDays == 1)
        #expect(cluster.proxyURL?.absoluteString == "socks5://127.0.0.1:1080")
    }

    @Test func subProjectsAreScannedInsteadOfTheRegionsOwn() throws {
        let config = try config("{regions: [cn-north-4], projects: [cn-north-4_dev], context_name: \"{project}-{name}\"}")
        #expect(FleetResolver.projectQueries(config, cache: .init()) == [F.projectQuery("cn-north-4_dev")])
        let resolution = F.resolve(config, clusters: [F.listQuery(F.devProject): .success([F.cluster("a", 1, project: F.devProject)])])
        #expect(resolution.clusters.map(\.name) == ["cn-north-4_dev-a"])
    }
}

/// `check-config --discover`: one line per cluster, then the failures and problems.
@Suite struct FleetTableTests {
    typealias F = FleetFixtures

    @Test func eachClusterIsOneAlignedLineWithItsConsoleNameRegionAndProject() throws {
        let config = try F.config(
            """
            credentials: {default: {type: sdk}}
            clusters:
              - {name: mine, cluster: prod-a, region: cn-north-4}
            discover:
              - {regions: [cn-north-4]}
            """
        )
        let resolution = F.resolve(
            config,
            clusters: [F.listQuery(): .success([F.cluster("prod-a", 1), F.cluster("sleepy", 2, phase: "Hibernation")])]
        )
        #expect(
            FleetTable.lines(resolution, path: "config.yaml") == [
                "WATCH NAME  CONSOLE NAME  REGION      PROJECT     CLUSTER ID                            SOURCE",
                "mine        prod-a        cn-north-4  cn-north-4  \(F.id(1))  listed",
                "sleepy      sleepy        cn-north-4  cn-north-4  \(F.id(2))  discovered, Hibernation: not fetched, entries kept",
            ]
        )
    }

    @Test func failuresAndProblemsFollowTheTableWithTheFile() throws {
        let config = try F.config("credentials: {default: {type: sdk}}\nclusters:\n  - {cluster: prod-a, region: cn-north-4}\n")
        let resolution = F.resolve(config, clusters: [F.listQuery(): .failure("HTTP 500 from CCE")])
        #expect(
            FleetTable.lines(resolution, path: "config.yaml").dropFirst() == [
                "config.yaml: cannot list the clusters of project \(F.northProject) in region cn-north-4: HTTP 500 from CCE"
            ]
        )
    }
}
