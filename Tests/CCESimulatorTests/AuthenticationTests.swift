import CCESigning
import CCESimulator
import Foundation
import Testing

/// The gateway's checks of AK/SK signatures and tokens, with its documented error shapes.
@Suite struct AuthenticationTests {
    private let path = SimulatorHarness.certPath(TestData.internalCluster)

    @Test func wrongSecretKeyIsRefusedAsABadSignature() async throws {
        try await SimulatorHarness.with { harness in
            let wrongKey = AccessKeyCredential(accessKey: TestData.accessKey, secretKey: "SKwrong", projectID: TestData.project)
            let answer = try await harness.signed(path, credential: wrongKey)
            try answer.expectGatewayError(
                .unauthorized,
                "APIGW.0301",
                containing: "Incorrect IAM authentication information: verify aksk signature fail"
            )
        }
    }

    @Test func bodyChangedAfterSigningIsRefusedAsABadSignature() async throws {
        try await SimulatorHarness.with { harness in
            let answer = try await harness.signed(path, tamper: { $0.body = Array(#"{"duration": 1827}"#.utf8) })
            try answer.expectGatewayError(.unauthorized, "APIGW.0301", containing: "verify aksk signature fail")
        }
    }

    @Test func dateMoreThanFifteenMinutesOffIsRefused() async throws {
        try await SimulatorHarness.with { harness in
            let late = try await harness.signed(path, date: Date(timeIntervalSinceNow: -16 * 60))
            try late.expectGatewayError(.unauthorized, "APIGW.0301", containing: "seconds from the server time")
            let early = try await harness.signed(path, date: Date(timeIntervalSinceNow: 16 * 60))
            try early.expectGatewayError(.unauthorized, "APIGW.0301", containing: "verify aksk signature fail")
            let withinSkew = try await harness.signed(path, date: Date(timeIntervalSinceNow: -14 * 60))
            #expect(withinSkew.status == .ok, "\(withinSkew.text)")
        }
    }

    @Test func unknownAccessKeyIsRefusedNamingTheKeyAsTheGatewayDoes() async throws {
        try await SimulatorHarness.with { harness in
            let stranger = AccessKeyCredential(accessKey: "AKUNKNOWN", secretKey: "SKunknown", projectID: TestData.project)
            let answer = try await harness.signed(path, credential: stranger)
            try answer.expectGatewayError(.unauthorized, "APIGW.0301", containing: "Get secretKey failed,ak:AKUNKNOWN,err:ak not exist")
        }
    }

    @Test func projectHeaderOtherThanThePathProjectIsForbidden() async throws {
        try await SimulatorHarness.with { harness in
            let elsewhere = AccessKeyCredential(
                accessKey: TestData.accessKey,
                secretKey: TestData.secretKey,
                projectID: TestData.otherProject
            )
            let answer = try await harness.signed(path, credential: elsewhere)
            try answer.expectCCEError(.forbidden, "CCE.01403001", "Forbidden.")
        }
    }

    @Test func signedRequestWithoutProjectHeaderIsRefused() async throws {
        try await SimulatorHarness.with { harness in
            let global = AccessKeyCredential(accessKey: TestData.accessKey, secretKey: TestData.secretKey)
            let answer = try await harness.signed(path, credential: global)
            try answer.expectGatewayError(.unauthorized, "APIGW.0301", containing: "x-project-id not found")
        }
    }

    @Test func requestWithoutCredentialsIsRefused() async throws {
        try await SimulatorHarness.with { harness in
            let answer = try await harness.send(
                .POST,
                url: harness.simulator.apiEndpoint.appendingPathComponent(String(path.dropFirst())),
                headers: [("Content-Type", "application/json")],
                body: Array(#"{"duration": 30}"#.utf8)
            )
            try answer.expectGatewayError(.unauthorized, "APIGW.0301", containing: "x-auth-token not found")
        }
    }

    @Test func temporaryAccessKeyWorksOnlyWithItsSecurityTokenAndUntilItExpires() async throws {
        try await SimulatorHarness.with { harness in
            let temporary = AccessKeyCredential(
                accessKey: TestData.temporaryAccessKey,
                secretKey: TestData.temporarySecretKey,
                securityToken: TestData.securityToken,
                projectID: TestData.project
            )
            #expect(try await harness.signed(path, credential: temporary).status == .ok)

            var withoutToken = temporary
            withoutToken.securityToken = nil
            try await harness.signed(path, credential: withoutToken)
                .expectGatewayError(.unauthorized, "APIGW.0301", containing: "verify security token fail")
            var otherToken = temporary
            otherToken.securityToken = "STother"
            try await harness.signed(path, credential: otherToken)
                .expectGatewayError(.unauthorized, "APIGW.0301", containing: "verify security token fail")

            let expired = AccessKeyCredential(
                accessKey: TestData.expiredAccessKey,
                secretKey: TestData.expiredSecretKey,
                securityToken: TestData.expiredSecurityToken,
                projectID: TestData.project
            )
            try await harness.signed(path, credential: expired)
                .expectGatewayError(.unauthorized, "APIGW.0301", containing: "signature expired")
        }
    }

    @Test func staticTokenWorksUntilItExpiresAndOnlyInItsProject() async throws {
        try await SimulatorHarness.with { harness in
            #expect(try await harness.withToken(TestData.staticToken, path).status == .ok)
            try await harness.withToken(TestData.expiredStaticToken, path)
                .expectGatewayError(.unauthorized, "APIGW.0301", containing: "token expires, expires_at: ")
            try await harness.withToken("MIInever-issued", path)
                .expectGatewayError(.unauthorized, "APIGW.0301", containing: "decrypt token fail")
            try await harness.withToken(TestData.otherProjectToken, path)
                .expectCCEError(.forbidden, "CCE.01403001", "Forbidden.")
            let ownProject = SimulatorHarness.certPath(TestData.otherProjectCluster, project: TestData.otherProject)
            #expect(try await harness.withToken(TestData.otherProjectToken, ownProject).status == .ok)
        }
    }
}
