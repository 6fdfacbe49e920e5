import CCESimulator
import Foundation
import Testing
import WatchList

@testable import CCE

/// The fleet calls against the CCE simulator on 127.0.0.1: ListClusters on both paths and in
/// both clouds' shapes, IAM project lookups with each kind of credential, and every failure
/// classified and told in one sentence without a secret.
@Suite struct FleetClientTests {
    @Test(arguments: [SimulatorConfiguration.Cloud.huaweicloud, .otc])
    func listClustersGivesTheProjectsClustersInEitherCloudsShape(cloud: SimulatorConfiguration.Cloud) async throws {
        try await FleetSimulator.with(cloud: cloud) { simulator, client async throws in
            let clusters = try await client.listProjectClusters(simulator, simulator.accessKey)
            #expect(clusters == FleetSimulator.projectClusters)
        }
    }

    @Test func autopilotPathGivesAutopilotClusters() async throws {
        try await FleetSimulator.with { simulator, client async throws in
            let clusters = try await client.listProjectClusters(simulator, simulator.accessKey, type: .autopilot)
            #expect(clusters.map(\.id) == [FleetSimulator.pilot])
            #expect(clusters.map(\.category) == [.autopilot])
        }
    }

    @Test func aTokenListsClusters() async throws {
        try await FleetSimulator.with { simulator, client async throws in
            let clusters = try await client.listProjectClusters(simulator, simulator.token)
            #expect(clusters == FleetSimulator.projectClusters)
        }
    }

    @Test func aPasswordLogsInToTheProjectAndListsClusters() async throws {
        try await FleetSimulator.with { simulator, client async throws in
            let clusters = try await client.listProjectClusters(simulator, simulator.password, project: FleetSimulator.subProject)
            #expect(clusters.map(\.id) == [FleetSimulator.dev])
        }
    }

    @Test func aClusterAddedAtRunTimeIsInTheNextList() async throws {
        try await FleetSimulator.with { simulator, client async throws in
            let added = "5a000000-0000-4000-8000-0000000000dd"
            try await simulator.addCluster(SimulatedCluster(projectID: FleetSimulator.project, clusterID: added, name: "fresh"))
            try await simulator.removeCluster(FleetSimulator.batch)
            let clusters = try await client.listProjectClusters(simulator, simulator.accessKey)
            #expect(clusters.map(\.name) == ["prod", "fresh"])
        }
    }

    @Test func aFailingListIsAServerErrorNamingRegionAndProject() async throws {
        try await FleetSimulator.with { simulator, client async throws in
            try simulator.setListFault(.internalError, forProject: FleetSimulator.project)
            let error = try await #require(throws: FleetQueryError.self) {
                try await client.listProjectClusters(simulator, simulator.accessKey)
            }
            #expect(error.kind == .server(status: 500))
            #expect(error.service == .cce)
            let requestID = try #require(error.requestID)
            #expect(
                error.description
                    == "region cn-north-4, project \(FleetSimulator.project): listing the clusters failed: CCE failed "
                    + "(HTTP 500; CCE.01500001: Internal error.; request id \(requestID))."
            )
        }
    }

    @Test func aRefusedListIsAnAuthenticationError() async throws {
        try await FleetSimulator.with { simulator, client async throws in
            try simulator.setListFault(.unauthorized, forProject: FleetSimulator.project)
            let error = try await #require(throws: FleetQueryError.self) {
                try await client.listProjectClusters(simulator, simulator.accessKey)
            }
            #expect(error.kind == .authentication)
            #expect(error.description.contains("CCE did not accept credential set \"fleet\""), "\(error)")
        }
    }

    @Test func aHangingListIsATimeout() async throws {
        try await FleetSimulator.with(requestTimeout: .milliseconds(300)) { simulator, client async throws in
            try simulator.setListFault(.hang, forProject: FleetSimulator.project)
            let error = try await #require(throws: FleetQueryError.self) {
                try await client.listProjectClusters(simulator, simulator.accessKey)
            }
            #expect(error.kind == .timeout(.request(.milliseconds(300))))
        }
    }

    @Test func aThrottledListCarriesRetryAfter() async throws {
        try await FleetSimulator.with { simulator, client async throws in
            try simulator.setListFault(.throttled(retryAfterSeconds: 7), forProject: FleetSimulator.project)
            let error = try await #require(throws: FleetQueryError.self) {
                try await client.listProjectClusters(simulator, simulator.accessKey)
            }
            #expect(error.kind == .throttled(retryAfter: .seconds(7)))
        }
    }

    @Test(arguments: [Fault.invalidJSON, .wrongShape, .truncatedBody, .oversizedBody(bytes: 2 << 20)])
    func aDamagedListIsRefusedWhole(fault: Fault) async throws {
        try await FleetSimulator.with { simulator, client async throws in
            try simulator.setListFault(fault, forProject: FleetSimulator.project)
            let error = try await #require(throws: FleetQueryError.self) {
                try await client.listProjectClusters(simulator, simulator.accessKey)
            }
            guard case .invalidResponse = error.kind else {
                Issue.record("\(fault): \(error)")
                return
            }
        }
    }

    @Test func anUnknownAccessKeyIsNotRepeatedInTheMessage() async throws {
        try await FleetSimulator.with { simulator, client async throws in
            let stranger = simulator.access(.accessKey(.init(accessKey: "AKUNKNOWNSTRANGER001", secretKey: TestData.secretKey)))
            let error = try await #require(throws: FleetQueryError.self) { try await client.listProjectClusters(simulator, stranger) }
            #expect(error.kind == .authentication)
            #expect(!error.description.contains("AKUNKNOWNSTRANGER001"), "\(error)")
            #expect(error.description.contains("<redacted>"), "\(error)")
        }
    }

    @Test(arguments: ["cn-north-4", "cn-north-4_dev"])
    func findProjectByNameWithEachCredential(name: String) async throws {
        try await FleetSimulator.with { simulator, client async throws in
            let expected = ProjectSummary(id: name == "cn-north-4" ? FleetSimulator.project : FleetSimulator.subProject, name: name)
            for access in [simulator.accessKey, simulator.token, simulator.password] {
                let project = try await client.findProject(named: name, region: FleetSimulator.region, access: access)
                #expect(project == expected, "\(access.credential)")
            }
        }
    }

    @Test func aNameNoProjectHasIsNotFoundInOneSentence() async throws {
        try await FleetSimulator.with { simulator, client async throws in
            let error = try await #require(throws: FleetQueryError.self) {
                try await client.findProject(named: "eu-west-0", region: "eu-west-0", access: simulator.accessKey)
            }
            #expect(error.kind == .notFound)
            #expect(
                error.description
                    == "region eu-west-0: finding the project \"eu-west-0\" failed: IAM has no project named \"eu-west-0\" for credential set \"fleet\"."
            )
        }
    }

    @Test func listProjectsGivesEveryNamedProject() async throws {
        try await FleetSimulator.with { simulator, client async throws in
            let expected = [
                ProjectSummary(id: FleetSimulator.otherProject, name: "ap-southeast-1"),
                ProjectSummary(id: FleetSimulator.project, name: "cn-north-4"),
                ProjectSummary(id: FleetSimulator.subProject, name: "cn-north-4_dev"),
            ]
            for access in [simulator.accessKey, simulator.token, simulator.password] {
                let projects = try await client.listProjects(region: FleetSimulator.region, access: access)
                #expect(projects == expected, "\(access.credential)")
            }
        }
    }

    @Test func aWrongPasswordIsIAMRefusingTheLogin() async throws {
        try await FleetSimulator.with { simulator, client async throws in
            let wrong = simulator.access(
                .password(
                    PasswordCredential(
                        user: FleetSimulator.user,
                        domain: FleetSimulator.domain,
                        password: "wrong-password",
                        caFile: simulator.caFile.path
                    )
                )
            )
            let error = try await #require(throws: FleetQueryError.self) {
                try await client.listProjects(region: FleetSimulator.region, access: wrong)
            }
            #expect(error.kind == .authentication && error.service == .iam)
            #expect(!error.description.contains("wrong-password"))
        }
    }
}
