import Foundation
import Testing
import WatchList
import YAML

/// Which CCE endpoint a cluster talks to, and which URLs are accepted for it.
@Suite struct CCEEndpointTests {
    private func cluster(region: String? = "cn-north-4", endpoint: String? = nil) -> WatchedCluster {
        WatchedCluster(
            name: "prod",
            projectID: TestConfig.projectID,
            clusterID: TestConfig.clusterID,
            region: region,
            options: ClusterOptions(credentials: "default", endpoint: endpoint.flatMap(URL.init(string:)))
        )
    }

    @Test(arguments: [
        ("cn-north-4", "https://cce.cn-north-4.myhuaweicloud.com"),
        ("ap-southeast-1", "https://cce.ap-southeast-1.myhuaweicloud.com"),
        ("eu-west-101", "https://cce.eu-west-101.myhuaweicloud.eu"),
    ])
    func regionDecidesTheEndpointWithTheEuWest101Exception(region: String, expected: String) throws {
        #expect(try cluster(region: region).cceEndpoint().absoluteString == expected)
    }

    @Test func environmentVariableIsNamedAfterTheRegion() {
        #expect(CCEEndpoint.environmentVariable(forRegion: "cn-north-4") == "HUAWEICLOUD_SDK_REGION_CCE_CN_NORTH_4")
        #expect(CCEEndpoint.environmentVariable(forRegion: "eu-west-101") == "HUAWEICLOUD_SDK_REGION_CCE_EU_WEST_101")
    }

    @Test func sdkEnvironmentVariableOverridesTheRegion() throws {
        let environment = ["HUAWEICLOUD_SDK_REGION_CCE_CN_NORTH_4": "https://127.0.0.1:8443"]
        #expect(try cluster().cceEndpoint(environment: environment).absoluteString == "https://127.0.0.1:8443")
        #expect(
            try cluster(region: "cn-east-3").cceEndpoint(environment: environment).absoluteString
                == "https://cce.cn-east-3.myhuaweicloud.com"
        )
    }

    @Test func firstEntryOfAListInTheVariableIsUsed() throws {
        let environment = ["HUAWEICLOUD_SDK_REGION_CCE_CN_NORTH_4": " https://cce-a.example.com , https://cce-b.example.com"]
        #expect(try cluster().cceEndpoint(environment: environment).absoluteString == "https://cce-a.example.com")
    }

    @Test func clusterEndpointWinsOverTheVariableAndTheRegion() throws {
        let environment = ["HUAWEICLOUD_SDK_REGION_CCE_CN_NORTH_4": "https://127.0.0.1:8443"]
        let endpoint = try cluster(endpoint: "https://127.0.0.2:9443").cceEndpoint(environment: environment)
        #expect(endpoint.absoluteString == "https://127.0.0.2:9443")
    }

    @Test func plainHTTPInTheVariableIsRefusedOutsideLoopback() {
        let environment = ["HUAWEICLOUD_SDK_REGION_CCE_CN_NORTH_4": "http://cce.example.com"]
        let problem = #expect(throws: ConfigProblem.self) { try cluster().cceEndpoint(environment: environment) }
        #expect(
            problem?.message
                == "environment variable HUAWEICLOUD_SDK_REGION_CCE_CN_NORTH_4 must be an https:// URL (http:// is allowed only for 127.0.0.0/8, localhost and ::1)"
        )
    }

    @Test func clusterWithoutRegionOrEndpointHasNoEndpoint() {
        #expect(throws: ConfigProblem.self) { try cluster(region: nil).cceEndpoint() }
    }

    @Test(
        arguments: [
            ("https://cce.cn-north-4.myhuaweicloud.com", nil),
            ("https://cce.example.com:8443/prefix/", nil),
            ("http://127.0.0.1:8443", nil),
            ("http://127.1.2.3", nil),
            ("http://localhost:8080", nil),
            ("http://[::1]:8443", nil),
            ("http://[0:0:0:0:0:0:0:1]:8443", nil),
            ("http://127.1:8443", nil),
            ("http://0127.0.0.1", "must be an https:// URL (http:// is allowed only for 127.0.0.0/8, localhost and ::1)"),  // octal: 87.0.0.1
            ("http://cce.example.com", "must be an https:// URL (http:// is allowed only for 127.0.0.0/8, localhost and ::1)"),
            ("http://192.168.0.10:5443", "must be an https:// URL (http:// is allowed only for 127.0.0.0/8, localhost and ::1)"),  // the fixture's VPC address: data only, never connected to
            ("http://127.0.0.1.nip.io", "must be an https:// URL (http:// is allowed only for 127.0.0.0/8, localhost and ::1)"),
            ("ftp://127.0.0.1", "must be an https:// URL (http:// is allowed only for 127.0.0.0/8, localhost and ::1)"),
            ("cce.cn-north-4.myhuaweicloud.com", "must be a URL such as https://cce.cn-north-4.myhuaweicloud.com"),
            ("https://user:pass@cce.example.com", "must not hold a user name or password"),
            ("https://cce.example.com/?x=1", "must not have a query (?) or fragment (#)"),
            ("https://cce.example.com:70000", "has a port outside 1-65535"),
        ] as [(String, String?)]
    )
    func endpointMustBeHTTPSExceptOnLoopback(url: String, problem: String?) {
        let problems = TestConfig.problems(
            """
            credentials: {default: {type: sdk}}
            clusters:
              - name: prod
                project_id: \(TestConfig.projectID)
                cluster_id: \(TestConfig.clusterID)
                endpoint: "\(url)"
            """
        )
        #expect(problems == (problem.map { [ConfigProblem("\"endpoint\" \($0)", at: .at(6, 15))] } ?? []))
    }

    @Test func trailingSlashOfAnEndpointIsDropped() throws {
        let config = try TestConfig.parse(
            """
            credentials: {default: {type: sdk}}
            clusters:
              - name: prod
                project_id: \(TestConfig.projectID)
                cluster_id: \(TestConfig.clusterID)
                endpoint: https://cce.example.com/
            """
        )
        #expect(try config.clusters.first?.cceEndpoint().absoluteString == "https://cce.example.com")
    }

    @Test func iamEndpointMustBeHTTPS() {
        let problems = TestConfig.problems(
            """
            credentials:
              iam:
                type: password
                user: alice
                domain: example
                password_env: PW
                iam_endpoint: http://iam.cn-north-4.myhuaweicloud.com
            clusters: []
            """
        )
        #expect(
            problems == [
                ConfigProblem(
                    "\"iam_endpoint\" must be an https:// URL (http:// is allowed only for 127.0.0.0/8, localhost and ::1)",
                    at: .at(7, 19)
                )
            ]
        )
    }
}
