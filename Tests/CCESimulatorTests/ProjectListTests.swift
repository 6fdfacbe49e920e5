import CCESigning
import CCESimulator
import Foundation
import NIOHTTP1
import Testing

/// IAM's `GET /v3/projects?name=` (AK/SK signed, as the SDKs find a region's project) and
/// `GET /v3/auth/projects` (a token's projects).
@Suite struct ProjectListTests {
    @Test func signedLookupByNameAnswersTheOneProjectWithoutAProjectHeader() async throws {
        try await SimulatorHarness.with(FleetData.configuration()) { harness async throws in
            let answer = try await harness.signedGet(
                harness.simulator.iamEndpoint,
                "/v3/projects?name=cn-north-4",
                credential: FleetData.iamCredential
            )
            #expect(answer.status == .ok, "\(answer.text)")
            let body = try answer.json()
            let projects = try #require(body["projects"] as? [[String: any Sendable]])
            #expect(projects.count == 1)
            #expect(projects[0]["id"] as? String == FleetData.project)
            #expect(projects[0]["name"] as? String == "cn-north-4")
            #expect(projects[0]["enabled"] as? Bool == true && projects[0]["is_domain"] as? Bool == false)
            #expect(projects[0]["domain_id"] as? String == projects[0]["parent_id"] as? String)
            let links = try #require(body["links"] as? [String: any Sendable])
            #expect((links["self"] as? String)?.hasSuffix("/v3/projects?name=cn-north-4") == true)
            #expect(links["next"] is NSNull)
        }
    }

    @Test func aSubProjectHasItsRegionsProjectAsParent() async throws {
        try await SimulatorHarness.with(FleetData.configuration()) { harness async throws in
            let answer = try await harness.signedGet(
                harness.simulator.iamEndpoint,
                "/v3/projects?name=cn-north-4_dev",
                credential: FleetData.iamCredential
            )
            let projects = try #require(try answer.json()["projects"] as? [[String: any Sendable]])
            #expect(projects.map { $0["id"] as? String } == [FleetData.subProject])
            #expect(projects[0]["parent_id"] as? String == FleetData.project)
        }
    }

    @Test func anUnknownNameListsNoProject() async throws {
        try await SimulatorHarness.with(FleetData.configuration()) { harness async throws in
            let answer = try await harness.signedGet(
                harness.simulator.iamEndpoint,
                "/v3/projects?name=eu-west-0",
                credential: FleetData.iamCredential
            )
            #expect(answer.status == .ok)
            #expect((try answer.json()["projects"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func authProjectsListsEveryProjectByNameForAToken() async throws {
        try await SimulatorHarness.with(FleetData.configuration()) { harness async throws in
            let answer = try await harness.getWithToken(TestData.staticToken, harness.simulator.iamEndpoint, "/v3/auth/projects")
            #expect(answer.status == .ok)
            let projects = try #require(try answer.json()["projects"] as? [[String: any Sendable]])
            #expect(projects.map { $0["name"] as? String } == ["ap-southeast-1", "cn-north-4", "cn-north-4_dev"])
        }
    }

    @Test func aBadSignatureIsRefusedByTheGateway() async throws {
        try await SimulatorHarness.with(FleetData.configuration()) { harness async throws in
            let wrong = AccessKeyCredential(accessKey: TestData.accessKey, secretKey: "SKwrong-secret")
            try await harness.signedGet(harness.simulator.iamEndpoint, "/v3/projects?name=cn-north-4", credential: wrong)
                .expectGatewayError(.unauthorized, "APIGW.0301", containing: "verify aksk signature fail")
        }
    }
}
