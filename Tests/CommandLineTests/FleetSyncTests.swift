import CCESimulator
import Foundation
import Kubeconfig
import Testing

/// `sync` with a watch list that gives only a region, credentials and console names: the
/// project is the one named like the region (IAM), the clusters are found by name
/// (ListClusters), and kubectl uses every context over mutual TLS.
@Suite struct FleetSyncTests {
    static let project = "0123456789abcdef0123456789abcdef"
    static let accessKey = "AKFLEETTEST000000001"
    static let secretKey = "SKfleet-test-secret-value"

    func withFleet(_ clusters: [String], _ body: (Workspace, RunningSimulator) async throws -> Void) async throws {
        try await Workspace.with { plain in
            let ids = clusters.indices.map { "5a000000-0000-4000-8000-00000000000\($0)" }
            let simulator = try await CCESimulator.start(
                SimulatorConfiguration(
                    accessKeys: [Self.accessKey: Self.secretKey],
                    projectNames: [Self.project: "cn-north-4"],
                    clusters: zip(clusters, ids).map { name, id in
                        SimulatedCluster(projectID: Self.project, clusterID: id, hasExternalEndpoint: name.hasSuffix("prod"), name: name)
                    }
                ),
                directory: URL(fileURLWithPath: plain.directory.file("simulator"))
            )
            let workspace = plain.adding(environment: [
                "FLEET_SK": Self.secretKey,
                // The SDK's override of a region's IAM endpoint: the simulator's, on loopback.
                "HUAWEICLOUD_SDK_REGION_IAM_CN_NORTH_4": simulator.iamEndpoint.absoluteString,
                "HUAWEICLOUD_SDK_REGION_IAM_XX_NORTH_9": simulator.iamEndpoint.absoluteString,
            ])
            do {
                try await body(workspace, simulator)
            } catch {
                await simulator.shutdown()
                throw error
            }
            await simulator.shutdown()
        }
    }

    func config(_ workspace: Workspace, _ simulator: RunningSimulator, names: [String]) throws -> String {
        var text =
            "kubeconfig: \(workspace.kubeconfig)\ncredentials:\n  default: {type: aksk, access_key: \(Self.accessKey), secret_key_env: FLEET_SK}\n"
        text +=
            "defaults:\n  region: cn-north-4\n  endpoint: \(simulator.apiEndpoint.absoluteString)\n  ca_file: \(simulator.caFile.path)\nclusters:\n"
        for name in names { text += "  - cluster: \(name)\n" }
        return try workspace.directory.write(Array(text.utf8), to: "config.yaml")
    }

    @Test func consoleNamesAloneAreEnoughForKubectlToReachEveryContext() async throws {
        try await withFleet(["shop-prod", "shop-dev"]) { workspace, simulator in
            let path = try config(workspace, simulator, names: ["shop-prod", "shop-dev"])
            let result = try await workspace.cce(["sync", "--config", path])
            #expect(result.status == 0, "\(result.standardError)")
            #expect(!result.output.contains(Self.secretKey))
            #expect(result.standardOutput.contains("shop-prod: ok, certificate valid until"))
            #expect(result.standardOutput.contains("shop-dev: ok, certificate valid until"))
            guard Programs.hasKubectl else { return }
            for context in ["shop-prod-internal", "shop-prod-external", "shop-dev-internal"] {
                let version = try await offload {
                    try workspace.kubectl("--kubeconfig", workspace.kubeconfig, "--context", context, "get", "--raw", "/version")
                }
                #expect(version.status == 0, "\(context): \(version.standardError)")
            }
        }
    }

    @Test func aNameThatMatchesNoClusterIsOneSentenceWithItsPlaceAndNothingIsWritten() async throws {
        try await withFleet(["shop-prod"]) { workspace, simulator in
            let path = try config(workspace, simulator, names: ["shop-prod", "shop-qa"])
            let result = try await workspace.cce(["sync", "--config", path])
            #expect(result.status == 1)
            #expect(
                result.standardError.contains("config.yaml:10:5: cluster \"shop-qa\": no cluster is named \"shop-qa\""),
                "\(result.standardError)"
            )
            #expect(result.standardError.contains("shop-qa"), "\(result.standardError)")
            #expect(!FileManager.default.fileExists(atPath: workspace.kubeconfig))
        }
    }

    @Test func aFailedListingIsOneSentenceSayingNothingItCouldHaveShownIsPruned() async throws {
        try await withFleet(["shop-prod"]) { workspace, simulator in
            var text =
                "kubeconfig: \(workspace.kubeconfig)\ncredentials:\n  default: {type: aksk, access_key: \(Self.accessKey), secret_key_env: FLEET_SK}\n"
            text += "defaults:\n  endpoint: \(simulator.apiEndpoint.absoluteString)\n  ca_file: \(simulator.caFile.path)\n"
            text += "discover:\n  - regions: [cn-north-4]\n"
            let path = try workspace.directory.write(Array(text.utf8), to: "config.yaml")
            try simulator.setListFault(.internalError, forProject: Self.project)
            let result = try await workspace.cce(["sync", "--config", path])
            let line = try #require(
                result.standardError.split(separator: "\n").first { $0.contains("cannot list the clusters") },
                "\(result.standardError)"
            )
            #expect(
                line.hasPrefix("cannot list the clusters of project \(Self.project) in region cn-north-4: CCE failed (HTTP 500"),
                "\(line)"
            )
            #expect(line.hasSuffix("); nothing it could have shown is pruned."), "\(line)")
        }
    }

    /// One bad entry of a name-based watch list, the clusters the simulator has, and the
    /// sentence `sync` must print for it. (A name that two clusters have cannot be made here: the
    /// simulator, like CCE, keeps names unique in a project; `NameResolutionTests` has it.)
    struct BadEntry: Sendable, CustomTestStringConvertible {
        var label: String
        var simulated: [String]
        var entry: String
        var sentence: String
        var testDescription: String { label }
    }

    static let badEntries = [
        BadEntry(
            label: "an unknown region",
            simulated: ["webapp"],
            entry: "  - {cluster: webapp, region: xx-north-9}\n",
            sentence:
                #"config.yaml:9:5: cluster "webapp": region "xx-north-9" is unknown: IAM has no project named like it for credentials default"#
        ),
        BadEntry(
            label: "a template with an unknown field",
            simulated: ["webapp"],
            entry: "  - {cluster: webapp, context_name: \"{region}-{nmae}\"}\n",
            sentence: #"config.yaml:9:47: "context_name" has an unknown field {nmae}; the fields are {name}, {region}, {project}"#
        ),
    ]

    @Test(arguments: badEntries)
    func aBadEntryIsOneSentenceWithItsPlaceAndTheKubeconfigIsUntouched(_ bad: BadEntry) async throws {
        try await withFleet(bad.simulated) { workspace, simulator in
            let foreign =
                "apiVersion: v1\nkind: Config\nclusters:\n- name: mine\n  cluster: {server: https://127.0.0.1:6443}\ncontexts: []\nusers: []\n"
            try Data(foreign.utf8).write(to: URL(fileURLWithPath: workspace.kubeconfig))
            var text =
                "kubeconfig: \(workspace.kubeconfig)\ncredentials:\n  default: {type: aksk, access_key: \(Self.accessKey), secret_key_env: FLEET_SK}\n"
            text +=
                "defaults:\n  region: cn-north-4\n  endpoint: \(simulator.apiEndpoint.absoluteString)\n  ca_file: \(simulator.caFile.path)\nclusters:\n"
            let path = try workspace.directory.write(Array((text + bad.entry).utf8), to: "config.yaml")

            let result = try await workspace.cce(["sync", "--config", path])
            #expect(result.status == 1)
            let lines = result.standardError.split(separator: "\n").filter { $0.contains("config.yaml:") }
            #expect(lines.count == 1, "\(result.standardError)")
            #expect(lines.first?.contains(bad.sentence) == true, "\(result.standardError)")
            #expect(try String(contentsOfFile: workspace.kubeconfig, encoding: .utf8) == foreign)
        }
    }
}
