import CCESimulator
import Foundation
import Testing

/// `check-config --discover` against the simulator: names looked up, discovery listed, nothing fetched.
@Suite(.serialized) struct CheckConfigDiscoverTests {
    static let project = "0123456789abcdef0123456789abcdef"
    static let prod = "4e7a9f1c-0000-11ee-8f3a-0255ac100b21"
    static let sleepy = "4e7a9f1c-0000-11ee-8f3a-0255ac100b22"
    static let accessKey = "AKDISCOVERTEST000001"
    static let secretKey = "SKdiscover-test-secret"

    private func withSimulator(clusters: String, _ body: (Workspace, RunningSimulator, String) async throws -> Void) async throws {
        try await Workspace.with { plain in
            let configuration = SimulatorConfiguration(
                accessKeys: [Self.accessKey: Self.secretKey],
                projectNames: [Self.project: "cn-north-4"],
                clusters: [
                    SimulatedCluster(projectID: Self.project, clusterID: Self.prod, hasExternalEndpoint: true, name: "prod"),
                    SimulatedCluster(projectID: Self.project, clusterID: Self.sleepy, name: "sleepy", phase: "Hibernation"),
                ]
            )
            let simulator = try await CCESimulator.start(configuration, directory: URL(fileURLWithPath: plain.directory.file("simulator")))
            let workspace = plain.adding(environment: [
                "DISCOVER_AK": Self.accessKey, "DISCOVER_SK": Self.secretKey,
                "HUAWEICLOUD_SDK_REGION_IAM_CN_NORTH_4": simulator.iamEndpoint.absoluteString,
                "HUAWEICLOUD_SDK_REGION_IAM_XX_NORTH_9": simulator.iamEndpoint.absoluteString,
                "HUAWEICLOUD_SDK_REGION_CCE_CN_NORTH_4": simulator.apiEndpoint.absoluteString,
            ])
            let config = try workspace.directory.write(
                Array(
                    """
                    credentials:
                      default: {type: aksk, access_key_env: DISCOVER_AK, secret_key_env: DISCOVER_SK}
                    defaults:
                      region: cn-north-4
                      ca_file: \(simulator.caFile.path)
                    clusters:
                    \(clusters)
                    discover:
                      - regions: [cn-north-4]

                    """.utf8
                ),
                to: "config.yaml"
            )
            do {
                try await body(workspace, simulator, config)
            } catch {
                await simulator.shutdown()
                throw error
            }
            await simulator.shutdown()
        }
    }

    @Test func namesAreResolvedAndDiscoveryIsListedWithoutFetchingCertificates() async throws {
        try await withSimulator(clusters: "  - cluster: prod") { workspace, simulator, config in
            let result = try await workspace.cce(["check-config", "--discover", "--config", config])
            #expect(result.status == 0, "\(result.standardError)")
            let lines = result.standardOutput.split(separator: "\n").map {
                $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
            }
            #expect(lines.contains("prod prod cn-north-4 cn-north-4 \(Self.prod) listed"))
            #expect(lines.contains("sleepy sleepy cn-north-4 cn-north-4 \(Self.sleepy) discovered, Hibernation: not fetched, entries kept"))
            #expect(simulator.requestCount(forCluster: Self.prod) == 0)
        }
    }

    @Test func aNameThatMatchesNoClusterIsOneSentenceWithItsPlace() async throws {
        try await withSimulator(clusters: "  - cluster: nope") { workspace, _, config in
            let result = try await workspace.cce(["check-config", "--discover", "--config", config])
            #expect(result.status == 1)
            #expect(
                result.standardError.contains(
                    "\(config):7:5: cluster \"nope\": no cluster is named \"nope\" in project cn-north-4 (region cn-north-4); it has prod, sleepy"
                )
            )
        }
    }

    @Test func anUnknownRegionIsOneSentenceWithItsPlace() async throws {
        try await withSimulator(clusters: "  - {cluster: prod, region: xx-north-9}") { workspace, _, config in
            let result = try await workspace.cce(["check-config", "--discover", "--config", config])
            #expect(result.status == 1)
            #expect(
                result.standardError.contains(
                    "\(config):7:5: cluster \"prod\": region \"xx-north-9\" is unknown: IAM has no project named like it for credentials default"
                ),
                "\(result.standardError)"
            )
        }
    }
}
