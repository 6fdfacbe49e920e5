import Foundation
import Testing
import WatchList

/// Configs that are valid, and the model they become.
@Suite struct ExampleConfigTests {
    @Test func issueExampleParsesToTheExpectedModel() throws {
        let config = try TestConfig.parse(TestConfig.issueExample)
        #expect(config.kubeconfigPath == "/home/alice/.kube/config")
        #expect(config.maxRefresh == .seconds(86_400))
        #expect(config.credentials.count == 3)
        #expect(
            config.credentials["default"]
                == .aksk(
                    accessKey: .environment("HUAWEICLOUD_SDK_AK"),
                    secretKey: .file("/home/alice/.config/cce-kubeconfigd/sk"),
                    securityToken: nil
                )
        )
        #expect(
            config.credentials["iam"]
                == .password(
                    user: "alice",
                    domain: "my-account",
                    password: .environment("CCE_PASSWORD"),
                    iamEndpoint: URL(string: "https://iam.cn-north-4.myhuaweicloud.com"),
                    caFile: "/path/extra-ca.pem"
                )
        )
        #expect(config.credentials["token-file"] == .token(.file("/run/user/1000/cce-token")))
        #expect(
            config.clusters == [
                WatchedCluster(
                    name: "prod",
                    projectID: TestConfig.projectID,
                    clusterID: TestConfig.clusterID,
                    region: "cn-north-4",
                    options: ClusterOptions(
                        credentials: "default",
                        endpoints: ["internal", "external"],
                        endpoint: URL(string: "https://cce.cn-north-4.myhuaweicloud.com"),
                        caFile: "/path/extra-ca.pem",
                        api: .post,
                        type: .cce,
                        externalTLS: .insecure,
                        durationDays: 1
                    )
                )
            ]
        )
    }

    @Test func minimalClusterTakesTheDocumentedDefaults() throws {
        let config = try TestConfig.parse(
            """
            credentials:
              mine: {type: sdk}
            clusters:
              - name: prod
                project_id: \(TestConfig.projectID)
                cluster_id: \(TestConfig.clusterID)
                region: cn-north-4
            """
        )
        #expect(config.kubeconfigPath == nil)
        #expect(config.maxRefresh == WatchListConfig.defaultMaxRefresh)
        #expect(config.requestTimeout == WatchListConfig.defaultRequestTimeout)
        #expect(config.credentials == ["mine": .sdk])
        let cluster = try #require(config.clusters.first)
        #expect(cluster.credentials == "mine")
        #expect(cluster.endpoints == nil)
        #expect(cluster.endpoint == nil)
        #expect(cluster.caFile == nil)
        #expect(cluster.api == .post)
        #expect(cluster.type == .cce)
        #expect(cluster.externalTLS == .insecure)
        #expect(cluster.durationDays == WatchedCluster.defaultDurationDays)
        #expect(cluster.entryOptions.endpoints == nil)
        #expect(cluster.ownership.watchName == "prod")
        #expect(cluster.ownership.clusterID == TestConfig.clusterID)
    }

    @Test func everyNonDefaultChoiceIsRead() throws {
        let config = try TestConfig.parse(
            """
            credentials: {default: {type: sdk}}
            max_refresh: 1h30m
            clusters:
              - name: auto.pilot_1
                project_id: \(TestConfig.projectID)
                cluster_id: \(TestConfig.clusterID)
                region: eu-west-101
                endpoints: [external]
                api: get
                type: autopilot
                external_tls: verify
                duration_days: -1
            """
        )
        #expect(config.maxRefresh == .seconds(5_400))
        let cluster = try #require(config.clusters.first)
        #expect(cluster.name == "auto.pilot_1")
        #expect(cluster.endpoints == ["external"])
        #expect(cluster.api == .get)
        #expect(cluster.type == .autopilot)
        #expect(cluster.externalTLS == .verify)
        #expect(cluster.durationDays == -1)
        #expect(cluster.entryOptions.externalTLS == .verify)
    }

    @Test func requestTimeoutIsRead() throws {
        let config = try TestConfig.parse("credentials: {default: {type: sdk}}\nclusters: []\nrequest_timeout: 1m30s\n")
        #expect(config.requestTimeout == .seconds(90))
    }

    @Test(arguments: [("24h", 86_400), ("90m", 5_400), ("1h30m", 5_400), ("7d", 604_800), ("120s", 120)] as [(String, Int64)])
    func maxRefreshAcceptsDurationsWithUnits(text: String, seconds: Int64) throws {
        let config = try TestConfig.parse("max_refresh: \(text)\ncredentials: {default: {type: sdk}}\nclusters: []\n")
        #expect(config.maxRefresh == .seconds(seconds))
    }

    @Test func explicitlyEmptyClusterListIsValid() throws {
        let config = try TestConfig.parse("credentials: {default: {type: sdk}}\nclusters: []\n")
        #expect(config.clusters.isEmpty)
    }

    @Test func pathsExpandHomeAndResolveRelativeToTheConfigDirectory() throws {
        let config = try TestConfig.parse(
            """
            kubeconfig: kube/config
            credentials:
              default:
                type: token
                token_file: ~/token
            defaults:
              ca_file: ~
            clusters: []
            """
        )
        #expect(config.kubeconfigPath == "/home/alice/.config/cce-kubeconfigd/kube/config")
        #expect(config.credentials["default"] == .token(.file("/home/alice/token")))
    }

    @Test func aliasesAreFollowed() throws {
        let config = try TestConfig.parse(
            """
            credentials: {default: {type: sdk}}
            clusters:
              - name: prod
                project_id: \(TestConfig.projectID)
                cluster_id: \(TestConfig.clusterID)
                region: &region cn-north-4
              - name: test
                project_id: \(TestConfig.projectID)
                cluster_id: 4e7a9f1c-0000-11ee-8f3a-0255ac100b04
                region: *region
            """
        )
        #expect(config.clusters.map(\.region) == ["cn-north-4", "cn-north-4"])
    }
}
