import CCESimulator
import Foundation
import Glibc
import Kubeconfig
import Testing

/// The ids found by console name are kept in the state file: a second `sync` fetches without
/// listing, and a name whose cluster answers 404 is listed again (the cluster was re-created).
extension FleetSyncTests {
    static let firstID = "5a000000-0000-4000-8000-000000000000"
    static let replacementID = "5a000000-0000-4000-8000-000000000099"

    /// The port of the server of `watchName`'s first context in the kubeconfig.
    static func serverPort(of watchName: String, in workspace: Workspace) -> Int? {
        guard let data = FileManager.default.contents(atPath: workspace.kubeconfig),
            let file = try? KubeconfigFile(bytes: Array(data)),
            let server = ManagedInventory(file).clusters.first(where: { $0.watchName == watchName })?.contexts.first?.server
        else { return nil }
        return URL(string: server)?.port
    }

    /// `webapp` deleted in the simulator and created again under the same name with a new id.
    static func recreateWeb(in simulator: RunningSimulator) async throws -> APIServerEndpoints {
        try await simulator.removeCluster(Self.firstID)
        return try await simulator.addCluster(SimulatedCluster(projectID: Self.project, clusterID: Self.replacementID, name: "webapp"))
    }

    @Test func aSecondSyncFetchesByTheRememberedIdsWithoutListing() async throws {
        try await withFleet(["shop-prod", "shop-dev"]) { workspace, simulator in
            let path = try config(workspace, simulator, names: ["shop-prod", "shop-dev"])
            let first = try await workspace.cce(["sync", "--config", path])
            #expect(first.status == 0, "\(first.standardError)")
            let listed = simulator.listRequestCount(forProject: Self.project)
            #expect(listed > 0)
            let fetched = simulator.requestCount(forCluster: Self.firstID)

            let second = try await workspace.cce(["sync", "--config", path, "--force"])
            #expect(second.status == 0, "\(second.standardError)")
            #expect(simulator.listRequestCount(forProject: Self.project) == listed)
            #expect(simulator.requestCount(forCluster: Self.firstID) == fetched + 1)
            #expect(Self.serverPort(of: "shop-prod", in: workspace) == simulator.apiServers[Self.firstID]?.internal.port)
            guard Programs.hasKubectl else { return }
            for context in ["shop-prod-internal", "shop-dev-internal"] {
                let version = try await offload {
                    try workspace.kubectl("--kubeconfig", workspace.kubeconfig, "--context", context, "get", "--raw", "/version")
                }
                #expect(version.status == 0, "\(context): \(version.standardError)")
            }
        }
    }

    @Test func aNameWhoseClusterAnswers404IsListedAgainByTheNextSync() async throws {
        try await withFleet(["webapp"]) { workspace, simulator in
            let path = try config(workspace, simulator, names: ["webapp"])
            #expect(try await workspace.cce(["sync", "--config", path]).status == 0)
            let replacement = try await Self.recreateWeb(in: simulator)
            let listed = simulator.listRequestCount(forProject: Self.project)

            let failed = try await workspace.cce(["sync", "--config", path, "--force"])
            #expect(failed.status == 1)
            #expect(failed.standardOutput.contains("webapp: failed"), "\(failed.standardOutput)")
            #expect(simulator.listRequestCount(forProject: Self.project) == listed)

            let again = try await workspace.cce(["sync", "--config", path, "--force"])
            #expect(again.status == 0, "\(again.standardOutput)\(again.standardError)")
            #expect(simulator.listRequestCount(forProject: Self.project) > listed)
            #expect(Self.serverPort(of: "webapp", in: workspace) == replacement.internal.port)
        }
    }

    @Test func listAndStatusShowTheConsoleName() async throws {
        try await withFleet(["shop-prod"]) { workspace, simulator in
            let path = try config(workspace, simulator, names: ["shop-prod"])
            #expect(try await workspace.cce(["sync", "--config", path]).status == 0)
            let list = try await workspace.cce(["list", "--kubeconfig", workspace.kubeconfig])
            #expect(list.standardOutput.hasPrefix("NAME        CLUSTER     CONTEXT"), "\(list.standardOutput)")
            #expect(list.standardOutput.contains("shop-prod   shop-prod   shop-prod-internal"), "\(list.standardOutput)")
            let status = try await workspace.cce(["status", "--config", path, "--json"])
            let object = try JSONSerialization.jsonObject(with: Data(status.standardOutput.utf8)) as? [String: Any]
            let rows = try #require(object?["clusters"] as? [[String: Any]])
            #expect(rows.map { $0["consoleName"] as? String } == ["shop-prod"])
        }
    }
}

/// `run` with clusters named by their console names.
@Suite struct FleetDaemonTests {
    @Test func aClusterRecreatedUnderItsNameIsFoundAgainAfterA404() async throws {
        let fleet = FleetSyncTests()
        try await fleet.withFleet(["webapp"]) { workspace, simulator in
            let path = try fleet.config(workspace, simulator, names: ["webapp"])
            let daemon = try workspace.runner.start(workspace.executable, ["run", "--config", path])
            let first = simulator.apiServers[FleetSyncTests.firstID]?.internal.port
            #expect(await eventually { FleetSyncTests.serverPort(of: "webapp", in: workspace) == first })
            let replacement = try await FleetSyncTests.recreateWeb(in: simulator)

            // Renewing every cluster fetches webapp by its remembered id: 404, forgotten, listed again.
            kill(daemon.processIdentifier, SIGUSR1)
            #expect(await eventually { FleetSyncTests.serverPort(of: "webapp", in: workspace) == replacement.internal.port })
            #expect(simulator.requestCount(forCluster: FleetSyncTests.replacementID) > 0)

            kill(daemon.processIdentifier, SIGTERM)
            let result = try await offload { try daemon.wait(timeout: .seconds(10)) }
            #expect(result.status == 0, "\(result.standardError)")
            #expect(!result.output.contains(FleetSyncTests.secretKey))
            let state = try String(contentsOfFile: workspace.directory.file(".local/state/cce-kubeconfigd/state.json"), encoding: .utf8)
            #expect(state.contains(FleetSyncTests.replacementID))
            #expect(!state.contains(FleetSyncTests.firstID))
        }
    }
}
