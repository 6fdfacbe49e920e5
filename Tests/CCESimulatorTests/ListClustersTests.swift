import CCESimulator
import Foundation
import NIOHTTP1
import Testing

/// ListClusters, `GET /api/v3/projects/{project_id}/clusters` and its Autopilot twin: the shape
/// in both clouds, the checks, phases, the `status` filter and the list faults.
@Suite struct ListClustersTests {
    @Test func listsTheProjectsClustersOfItsFamilyInHuaweisShape() async throws {
        try await SimulatorHarness.with(FleetData.configuration()) { harness async throws in
            let answer = try await harness.listClusters()
            #expect(answer.status == .ok)
            _ = try answer.requestID()
            let body = try answer.json()
            #expect(body["kind"] as? String == "Cluster" && body["apiVersion"] as? String == "v3")
            let items = try answer.items()
            #expect(items.map { Answer.value($0, "metadata", "name") as? String } == ["prod", "batch"])
            #expect(items.map { Answer.value($0, "metadata", "uid") as? String } == [FleetData.prod, FleetData.batch])
            #expect(items.map { Answer.value($0, "spec", "category") as? String } == ["CCE", "Turbo"])
            #expect(items.map { Answer.value($0, "status", "phase") as? String } == ["Available", "Hibernation"])
            #expect(Answer.value(items[0], "metadata", "labels") as? [String: String] == ["FeatureGates": "elbv3,", "env": "prod"])

            let endpoints = try #require(Answer.value(items[0], "status", "endpoints") as? [[String: String]])
            let servers = try #require(harness.simulator.apiServers[FleetData.prod])
            #expect(
                endpoints == [
                    ["url": servers.internal.absoluteString, "type": "Internal"],
                    ["url": try #require(servers.external).absoluteString, "type": "External"],
                ]
            )
            let created = try #require(Answer.value(items[0], "metadata", "creationTimestamp") as? String)
            #expect(created.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z/) != nil, "\(created)")
        }
    }

    @Test func autopilotPathListsOnlyAutopilotClustersAsTurbo() async throws {
        try await SimulatorHarness.with(FleetData.configuration()) { harness async throws in
            let items = try await harness.listClusters(autopilot: true).items()
            #expect(items.map { Answer.value($0, "metadata", "name") as? String } == ["pilot"])
            #expect(Answer.value(items[0], "spec", "category") as? String == "Turbo")
            #expect(Answer.value(items[0], "spec", "enableAutopilot") as? Bool == true)
        }
    }

    @Test func otcWritesEndpointsAsOneObjectAndTimestampsInGosFormat() async throws {
        try await SimulatorHarness.with(FleetData.configuration(cloud: .otc)) { harness async throws in
            let items = try await harness.listClusters().items()
            let servers = try #require(harness.simulator.apiServers[FleetData.prod])
            #expect(
                Answer.value(items[0], "status", "endpoints") as? [String: String] == [
                    "internal": servers.internal.absoluteString, "external": try #require(servers.external).absoluteString,
                ]
            )
            let created = try #require(Answer.value(items[0], "metadata", "creationTimestamp") as? String)
            #expect(created.wholeMatch(of: /\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6} \+0000 UTC/) != nil, "\(created)")
        }
    }

    @Test func statusQueryListsOnlyClustersInThatPhase() async throws {
        try await SimulatorHarness.with(FleetData.configuration()) { harness async throws in
            let items = try await harness.listClusters(query: "?status=Hibernation").items()
            #expect(items.map { Answer.value($0, "metadata", "uid") as? String } == [FleetData.batch])
        }
    }

    @Test func aSetPhaseIsWhatTheNextListReports() async throws {
        try await SimulatorHarness.with(FleetData.configuration()) { harness async throws in
            try harness.simulator.setPhase("Hibernation", forCluster: FleetData.prod)
            let items = try await harness.listClusters().items()
            #expect(items.map { Answer.value($0, "status", "phase") as? String } == ["Hibernation", "Hibernation"])
        }
    }

    @Test func aCredentialOfAnotherProjectIsForbidden() async throws {
        try await SimulatorHarness.with(FleetData.configuration()) { harness async throws in
            let answer = try await harness.getWithToken(
                TestData.otherProjectToken,
                harness.simulator.apiEndpoint,
                "/api/v3/projects/\(FleetData.project)/clusters"
            )
            try answer.expectCCEError(.forbidden, "CCE.01403001", "Forbidden.")
        }
    }

    @Test func aRequestWithoutCredentialsIsRefusedByTheGateway() async throws {
        try await SimulatorHarness.with(FleetData.configuration()) { harness async throws in
            let url = harness.simulator.apiEndpoint.appendingPathComponent("api/v3/projects/\(FleetData.project)/clusters")
            let answer = try await harness.send(.GET, url: url, headers: [], body: [])
            try answer.expectGatewayError(.unauthorized, "APIGW.0301", containing: "x-auth-token not found")
        }
    }

    @Test func listFaultFailsTheListButNotTheCertificateCall() async throws {
        try await SimulatorHarness.with(FleetData.configuration()) { harness async throws in
            try harness.simulator.setListFault(.internalError, forProject: FleetData.project)
            try await harness.listClusters().expectCCEError(.internalServerError, "CCE.01500001", "Internal error.")
            #expect(try await harness.listClusters(autopilot: true).status == .internalServerError)
            #expect(try await harness.certificate(FleetData.prod).status == .ok)
            #expect(try await harness.listClusters(project: FleetData.otherProject).status == .ok)
            #expect(harness.simulator.listRequestCount(forProject: FleetData.project) == 2)
        }
    }

    @Test func unauthorizedListFaultAnswersCCEs401() async throws {
        try await SimulatorHarness.with(FleetData.configuration()) { harness async throws in
            try harness.simulator.setListFault(.unauthorized, forProject: FleetData.project)
            try await harness.listClusters().expectCCEError(.unauthorized, "CCE.01401001", "Authorization failed.")
        }
    }

    @Test func hangingListFaultNeverAnswers() async throws {
        try await SimulatorHarness.with(FleetData.configuration()) { harness async throws in
            try harness.simulator.setListFault(.hang, forProject: FleetData.project)
            var scoped = FleetData.iamCredential
            scoped.projectID = FleetData.project
            await #expect(throws: (any Error).self) {
                try await harness.signedGet(
                    harness.simulator.apiEndpoint,
                    "/api/v3/projects/\(FleetData.project)/clusters",
                    credential: scoped,
                    timeout: .milliseconds(300)
                )
            }
        }
    }

    @Test func wrongShapeListFaultMakesItemsAnObject() async throws {
        try await SimulatorHarness.with(FleetData.configuration()) { harness async throws in
            try harness.simulator.setListFault(.wrongShape, forProject: FleetData.project)
            let answer = try await harness.listClusters()
            #expect(answer.status == .ok)
            #expect(try answer.json()["items"] is [String: any Sendable])
        }
    }

    @Test func certificateOnlyFaultsAreRefusedForTheList() async throws {
        try await SimulatorHarness.with(FleetData.configuration()) { harness async throws in
            #expect(throws: SimulatorError.self) { try harness.simulator.setListFault(.badBase64, forProject: FleetData.project) }
            #expect(try await harness.listClusters().status == .ok)
        }
    }
}
