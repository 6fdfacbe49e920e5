import CCESimulator
import Foundation
import Kubeconfig
import Testing

/// IAM password login: tokens in `X-Subject-Token` that the CCE endpoint then accepts.
@Suite struct IAMTests {
    @Test func passwordLoginReturnsATokenThatGetsACertificate() async throws {
        try await SimulatorHarness.with { harness in
            let before = Date()
            let login = try await harness.login()
            let after = Date()
            #expect(login.status == .created, "\(login.text)")
            _ = try login.requestID()
            let token = try #require(login.headers.first(name: "X-Subject-Token"))
            #expect(token.hasPrefix("MII") && token.count > 1000)

            let body = try #require(try login.json()["token"] as? [String: any Sendable])
            let expiresAt = try #require(body["expires_at"] as? String)
            #expect(expiresAt.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z/) != nil)
            let expiry = try Date(String(expiresAt.prefix(19)) + "Z", strategy: .iso8601)
            // A day from the login, whenever it ran (the seconds are whole in the check).
            #expect(expiry >= before.addingTimeInterval(24 * 3600 - 1) && expiry <= after.addingTimeInterval(24 * 3600))
            let project = try #require(body["project"] as? [String: any Sendable])
            #expect(project["id"] as? String == TestData.project)
            #expect(project["name"] as? String == "cn-north-4")
            #expect(body["methods"] as? [String] == ["password"])
            let catalog = try #require(body["catalog"] as? [[String: any Sendable]])
            let endpoints = try #require(catalog.first?["endpoints"] as? [[String: any Sendable]])
            #expect(endpoints.first?["url"] as? String == harness.simulator.apiEndpoint.absoluteString)

            let answer = try await harness.withToken(token, SimulatorHarness.certPath(TestData.externalCluster))
            #expect(answer.status == .ok)
            _ = try CCECredentials(parsing: answer.body)
        }
    }

    @Test func loginScopedByProjectIDWithoutCatalog() async throws {
        try await SimulatorHarness.with { harness in
            let body = """
                {"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"\(TestData.user)",\
                "password":"\(TestData.password)","domain":{"name":"\(TestData.domain)"}}}},\
                "scope":{"project":{"id":"\(TestData.otherProject)"}}}}
                """
            let login = try await harness.send(
                .POST,
                url: try #require(URL(string: harness.simulator.iamEndpoint.absoluteString + "/v3/auth/tokens?nocatalog=true")),
                headers: [("Content-Type", "application/json")],
                body: Array(body.utf8)
            )
            #expect(login.status == .created)
            let token = try #require(try login.json()["token"] as? [String: any Sendable])
            #expect(token["catalog"] == nil)
            let granted = try #require(login.headers.first(name: "X-Subject-Token"))
            let ownProject = SimulatorHarness.certPath(TestData.otherProjectCluster, project: TestData.otherProject)
            #expect(try await harness.withToken(granted, ownProject).status == .ok)
            try await harness.withToken(granted, SimulatorHarness.certPath(TestData.internalCluster))
                .expectCCEError(.forbidden, "CCE.01403001", "Forbidden.")
        }
    }

    @Test func wrongPasswordUserOrProjectIsUnauthorized() async throws {
        try await SimulatorHarness.with { harness in
            try await harness.login(password: "wrong").expectIAMError(.unauthorized, containing: "The username or password is wrong.")
            try await harness.login(user: "mallory").expectIAMError(.unauthorized, containing: "The username or password is wrong.")
            try await harness.login(projectName: "eu-west-101").expectIAMError(.unauthorized, containing: "project")
        }
    }

    @Test func malformedLoginIsABadRequest() async throws {
        try await SimulatorHarness.with { harness in
            let answer = try await harness.send(
                .POST,
                url: harness.simulator.iamEndpoint.appendingPathComponent("v3/auth/tokens"),
                headers: [("Content-Type", "application/json")],
                body: Array(#"{"auth":{}}"#.utf8)
            )
            try answer.expectIAMError(.badRequest, containing: "not a valid token request")
        }
    }

    @Test func tokenIsRefusedOnceItsLifetimeHasPassed() async throws {
        try await SimulatorHarness.with { harness in
            let login = try await harness.login(user: TestData.shortTokenUser)
            let token = try #require(login.headers.first(name: "X-Subject-Token"))
            try await Task.sleep(for: .milliseconds(1100))
            try await harness.withToken(token, SimulatorHarness.certPath(TestData.internalCluster))
                .expectGatewayError(.unauthorized, "APIGW.0301", containing: "token expires, expires_at: ")
        }
    }
}
