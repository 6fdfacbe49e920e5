import CCESimulator
import Foundation
import NIOHTTP1
import Testing

/// Clusters created and deleted while the simulator runs.
@Suite struct ClusterLifecycleTests {
    private static let added = "5a000000-0000-4000-8000-0000000000aa"

    @Test func anAddedClusterIsListedLastAndIssuesCertificates() async throws {
        try await SimulatorHarness.with(FleetData.configuration()) { harness async throws in
            let endpoints = try await harness.simulator.addCluster(
                SimulatedCluster(projectID: FleetData.project, clusterID: Self.added, name: "fresh", phase: "Creating")
            )
            #expect(harness.simulator.apiServers[Self.added] == endpoints)
            let items = try await harness.listClusters().items()
            #expect(items.map { Answer.value($0, "metadata", "name") as? String } == ["prod", "batch", "fresh"])
            #expect(Answer.value(items[2], "status", "phase") as? String == "Creating")
            #expect(try await harness.certificate(Self.added).status == .ok)
        }
    }

    @Test func aRemovedClusterLeavesTheListAndItsCertificateCallIsNotFound() async throws {
        try await SimulatorHarness.with(FleetData.configuration()) { harness async throws in
            try await harness.simulator.removeCluster(FleetData.prod)
            let items = try await harness.listClusters().items()
            #expect(items.map { Answer.value($0, "metadata", "uid") as? String } == [FleetData.batch])
            try await harness.certificate(FleetData.prod).expectCCEError(.notFound, "CCE.01404001", "Resource not found.")
            #expect(harness.simulator.apiServers[FleetData.prod] == nil)
        }
    }

    @Test func aNameTakenInTheProjectIsRefused() async throws {
        try await SimulatorHarness.with(FleetData.configuration()) { harness async throws in
            await #expect(
                throws: SimulatorError.invalidConfiguration("the new cluster repeats the name prod in project \(FleetData.project)")
            ) {
                try await harness.simulator.addCluster(SimulatedCluster(projectID: FleetData.project, clusterID: Self.added, name: "prod"))
            }
            #expect(harness.simulator.apiServers[Self.added] == nil)
        }
    }

    @Test func theSameNameInAnotherProjectIsAllowed() async throws {
        try await SimulatorHarness.with(FleetData.configuration()) { harness async throws in
            try await harness.simulator.addCluster(SimulatedCluster(projectID: FleetData.otherProject, clusterID: Self.added, name: "prod"))
            let items = try await harness.listClusters(project: FleetData.otherProject).items()
            #expect(items.map { Answer.value($0, "metadata", "name") as? String } == ["apac", "prod"])
        }
    }

    @Test func removingAnUnknownClusterSaysSo() async throws {
        try await SimulatorHarness.with(FleetData.configuration()) { harness async throws in
            await #expect(throws: SimulatorError.unknownCluster(Self.added)) { try await harness.simulator.removeCluster(Self.added) }
            #expect(harness.simulator.apiServers.count == FleetData.configuration().clusters.count)
        }
    }
}
