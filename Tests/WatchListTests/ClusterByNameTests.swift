import Foundation
import Testing
import WatchList

/// Clusters named as in the console, projects named or taken from the region, and the watch
/// names a `context_name` template makes.
@Suite struct ClusterByNameTests {
    private func spec(_ text: String) throws -> ClusterSpec {
        let config = try TestConfig.parse(text)
        #expect(config.clusters.isEmpty)
        return try #require(config.unresolved.first)
    }

    @Test func clusterGivenByConsoleNameNeedsNoIDs() throws {
        let spec = try spec(
            """
            credentials: {default: {type: sdk}}
            clusters:
              - cluster: prod-a
                region: cn-north-4
            """
        )
        #expect(spec.watchName == "prod-a")
        #expect(spec.cluster == .name("prod-a"))
        #expect(spec.consoleName == "prod-a")
        #expect(spec.resolved == nil)
        #expect(spec.location == .at(3, 5))
    }

    @Test func projectDefaultsToTheOneNamedLikeTheRegion() throws {
        let spec = try spec("credentials: {default: {type: sdk}}\nclusters:\n  - {cluster: prod-a, region: ap-southeast-1}\n")
        #expect(spec.project == .name("ap-southeast-1"))
    }

    @Test func subProjectIsNamedWithProject() throws {
        let spec = try spec(
            "credentials: {default: {type: sdk}}\nclusters:\n  - {cluster: prod-a, region: cn-north-4, project: cn-north-4_dev}\n"
        )
        #expect(spec.project == .name("cn-north-4_dev"))
    }

    @Test func clusterIDWithoutProjectIDIsLookedUpInTheRegionsProject() throws {
        let spec = try spec(
            "credentials: {default: {type: sdk}}\nclusters:\n  - {name: prod, cluster_id: \(TestConfig.clusterID), region: cn-north-4}\n"
        )
        #expect(spec.cluster == .id(TestConfig.clusterID))
        #expect(spec.project == .name("cn-north-4"))
    }

    @Test func aClustersOwnProjectReplacesTheDefaultProjectID() throws {
        let spec = try spec(
            """
            credentials: {default: {type: sdk}}
            defaults: {region: cn-north-4, project_id: \(TestConfig.projectID)}
            clusters:
              - {cluster: prod-a, project: cn-north-4_dev}
            """
        )
        #expect(spec.project == .name("cn-north-4_dev"))
    }

    @Test func bothIDsMakeAResolvedCluster() throws {
        let config = try TestConfig.parse(
            """
            credentials: {default: {type: sdk}}
            clusters:
              - {name: prod, cluster_id: \(TestConfig.clusterID), project_id: \(TestConfig.projectID), region: cn-north-4}
            """
        )
        #expect(config.unresolved.isEmpty)
        #expect(config.clusters.map(\.clusterID) == [TestConfig.clusterID])
        #expect(config.isResolved)
    }

    @Test func clusterAndClusterIDTogetherAreRefused() {
        let problems = TestConfig.problems(
            """
            credentials: {default: {type: sdk}}
            clusters:
              - name: prod
                cluster_id: \(TestConfig.clusterID)
                cluster: prod-a
                region: cn-north-4
            """
        )
        #expect(problems == [ConfigProblem("cluster \"prod\" gives both \"cluster_id\" and \"cluster\"; keep exactly one", at: .at(5, 5))])
    }

    @Test func aClusterWithNeitherClusterNorClusterIDIsRefused() {
        let problems = TestConfig.problems("credentials: {default: {type: sdk}}\nclusters:\n  - name: prod\n    region: cn-north-4\n")
        #expect(
            problems == [ConfigProblem("cluster \"prod\" needs \"cluster\" (its name in the console) or \"cluster_id\"", at: .at(3, 5))]
        )
    }

    @Test func clusterIDWithoutNameNeedsAName() {
        let problems = TestConfig.problems(
            "credentials: {default: {type: sdk}}\nclusters:\n  - cluster_id: \(TestConfig.clusterID)\n    region: cn-north-4\n"
        )
        #expect(
            problems == [
                ConfigProblem(
                    "this cluster needs a \"name\" (its watch name); only a cluster given by \"cluster\" can take it from context_name",
                    at: .at(3, 5)
                )
            ]
        )
    }

    @Test func projectIDAndProjectTogetherAreRefused() {
        let problems = TestConfig.problems(
            """
            credentials: {default: {type: sdk}}
            clusters:
              - cluster: prod-a
                region: cn-north-4
                project_id: \(TestConfig.projectID)
                project: cn-north-4_dev
            """
        )
        #expect(problems == [ConfigProblem("\"project_id\" and \"project\" both give the project; keep exactly one", at: .at(6, 5))])
    }

    @Test func projectOfAnotherRegionIsRefused() {
        let problems = TestConfig.problems(
            "credentials: {default: {type: sdk}}\nclusters:\n  - {cluster: prod-a, region: cn-north-4, project: eu-west-101_dev}\n"
        )
        #expect(
            problems == [
                ConfigProblem(
                    "\"project\" \"eu-west-101_dev\" is not a project of region cn-north-4, whose projects are named cn-north-4 or cn-north-4_<name>",
                    at: .at(3, 52)
                )
            ]
        )
    }

    @Test func endpointWithoutRegionNeedsAProjectID() {
        let problems = TestConfig.problems(
            "credentials: {default: {type: sdk}}\nclusters:\n  - {cluster: prod-a, endpoint: \"https://127.0.0.1:8443\"}\n"
        )
        #expect(
            problems == [
                ConfigProblem("cluster \"prod-a\" needs \"project_id\": without a region there is no project named like it", at: .at(3, 5))
            ]
        )
    }

    // MARK: Watch names

    @Test func contextNameTemplateMakesTheWatchName() throws {
        let spec = try spec(
            """
            credentials: {default: {type: sdk}}
            defaults: {context_name: "{region}-{name}"}
            clusters:
              - {cluster: prod-a, region: cn-north-4}
            """
        )
        #expect(spec.watchName == "cn-north-4-prod-a")
    }

    @Test func projectFieldIsTheProjectsName() throws {
        let spec = try spec(
            """
            credentials: {default: {type: sdk}}
            clusters:
              - {cluster: prod-a, region: cn-north-4, project: cn-north-4_dev, context_name: "{project}.{name}"}
            """
        )
        #expect(spec.watchName == "cn-north-4_dev.prod-a")
    }

    @Test func anExplicitNameWinsOverTheTemplate() throws {
        let spec = try spec(
            """
            credentials: {default: {type: sdk}}
            defaults: {context_name: "{region}-{name}"}
            clusters:
              - {name: prod, cluster: prod-a, region: cn-north-4}
            """
        )
        #expect(spec.watchName == "prod")
    }

    @Test func unknownTemplateFieldIsReportedAtItsColumn() {
        let problems = TestConfig.problems(
            """
            credentials: {default: {type: sdk}}
            defaults:
              context_name: "{region}-{nmae}"
            clusters: []
            """
        )
        #expect(
            problems == [
                ConfigProblem("\"context_name\" has an unknown field {nmae}; the fields are {name}, {region}, {project}", at: .at(3, 27))
            ]
        )
    }

    @Test func templateCharacterThatNoWatchNameHoldsIsRefused() {
        let quoted = TestConfig.problems(
            "credentials: {default: {type: sdk}}\ndefaults:\n  context_name: '{region}/{name}'\nclusters: []\n"
        )
        #expect(
            quoted == [
                ConfigProblem(
                    "\"context_name\" holds \"/\", which a watch name cannot: outside the fields use lowercase letters, digits, \"-\", \".\" and \"_\"",
                    at: .at(3, 26)
                )
            ]
        )
    }

    @Test func consoleNameThatIsNoWatchNameIsReported() {
        let problems = TestConfig.problems("credentials: {default: {type: sdk}}\nclusters:\n  - {cluster: Prod_A, region: cn-north-4}\n")
        #expect(
            problems == [
                ConfigProblem(
                    "context_name \"{name}\" makes \"Prod_A\" of cluster \"Prod_A\", which is not a valid watch name "
                        + "(lowercase letters, digits, \"-\", \".\" and \"_\", starting and ending with a letter or digit); set \"name\" for it",
                    at: .at(3, 15)
                )
            ]
        )
    }

    @Test func twoClustersTheTemplateNamesAlikeAreRefused() {
        let problems = TestConfig.problems(
            """
            credentials: {default: {type: sdk}}
            clusters:
              - {cluster: prod, region: cn-north-4}
              - {cluster: prod, region: ap-southeast-1}
            """
        )
        #expect(problems == [ConfigProblem("cluster name \"prod\" is used twice (first at 3:15)", at: .at(4, 15))])
    }

    @Test func regionInTheTemplateTellsSameNamedClustersApart() throws {
        let config = try TestConfig.parse(
            """
            credentials: {default: {type: sdk}}
            defaults: {context_name: "{region}-{name}"}
            clusters:
              - {cluster: prod, region: cn-north-4}
              - {cluster: prod, region: ap-southeast-1}
            """
        )
        #expect(config.unresolved.map(\.watchName) == ["cn-north-4-prod", "ap-southeast-1-prod"])
    }

    // MARK: Namespace, proxy, cloud

    @Test func namespaceAndProxyURLComeFromDefaultsUnlessTheClusterSetsThem() throws {
        let config = try TestConfig.parse(
            """
            credentials: {default: {type: sdk}}
            defaults: {region: cn-north-4, namespace: team-a, proxy_url: "socks5://127.0.0.1:1080"}
            clusters:
              - {cluster: one}
              - {cluster: two, namespace: team-b, proxy_url: "http://127.0.0.1:3128"}
            """
        )
        let options = config.unresolved.map(\.options)
        #expect(options.map(\.namespace) == ["team-a", "team-b"])
        #expect(options.map(\.proxyURL?.absoluteString) == ["socks5://127.0.0.1:1080", "http://127.0.0.1:3128"])
    }

    @Test func namespaceAndProxyURLReachTheEntryOptions() throws {
        let config = try TestConfig.parse(
            """
            credentials: {default: {type: sdk}}
            clusters:
              - {name: prod, cluster_id: \(TestConfig.clusterID), project_id: \(TestConfig.projectID), region: cn-north-4,
                 namespace: team-a, proxy_url: "socks5://127.0.0.1:1080"}
            """
        )
        let options = try #require(config.clusters.first).entryOptions
        #expect(options.namespace == "team-a")
        #expect(options.proxyURL == "socks5://127.0.0.1:1080")
    }

    @Test func namespaceMustBeANamespaceName() {
        let problems = TestConfig.problems("credentials: {default: {type: sdk}}\ndefaults: {namespace: Team_A}\nclusters: []\n")
        #expect(
            problems == [
                ConfigProblem(
                    "\"namespace\" must be a namespace name: up to 63 lowercase letters, digits and \"-\", starting and ending with a letter or digit",
                    at: .at(2, 23)
                )
            ]
        )
    }

    @Test func proxyURLOfAnotherSchemeIsRefusedWithoutQuotingIt() {
        let problems = TestConfig.problems(
            "credentials: {default: {type: sdk}}\ndefaults: {proxy_url: \"ftp://user:hunter2@proxy:21\"}\nclusters: []\n"
        )
        #expect(
            problems == [
                ConfigProblem("\"proxy_url\" must start with http://, https:// or socks5:// (the proxies kubectl can use)", at: .at(2, 23))
            ]
        )
        #expect(!problems.description.contains("hunter2"))
    }

    @Test func cloudComesFromTheTopLevelThenDefaultsThenTheCluster() throws {
        let config = try TestConfig.parse(
            """
            credentials: {default: {type: sdk}}
            cloud: otc
            clusters:
              - {cluster: one, region: eu-de}
              - {cluster: two, region: cn-north-4, cloud: huaweicloud}
            """
        )
        #expect(config.unresolved.map(\.options.cloud) == [.otc, .huaweicloud])
    }

    @Test func openTelekomCloudClustersUseItsCCEHosts() throws {
        let cluster = WatchedCluster(
            name: "prod",
            projectID: TestConfig.projectID,
            clusterID: TestConfig.clusterID,
            region: "eu-de",
            options: ClusterOptions(cloud: .otc, credentials: "default")
        )
        #expect(try cluster.cceEndpoint().absoluteString == "https://cce.eu-de.otc.t-systems.com")
    }

    @Test func unknownCloudIsRefusedWithAlternatives() {
        let problems = TestConfig.problems("credentials: {default: {type: sdk}}\ncloud: otcc\nclusters: []\n")
        #expect(problems == [ConfigProblem("\"cloud\" must be huaweicloud or otc, not \"otcc\"; did you mean \"otc\"?", at: .at(2, 8))])
    }
}
