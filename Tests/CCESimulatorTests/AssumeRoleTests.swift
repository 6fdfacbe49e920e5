import CCESigning
import CCESimulator
import Foundation
import Testing

/// Legacy IAM's `assume_role`: temporary keys of an agency for a token with the Agent Operator
/// role, with the domain, agency, trust and duration checks.
@Suite struct AssumeRoleTests {
    @Test func operatorTokenGetsKeysThatActInTheAgencysAccountOnly() async throws {
        try await SimulatorHarness.with(IdentityData.configuration()) { harness in
            let answer = try await harness.assumeRole(token: try await harness.operatorToken())
            #expect(answer.status == .created, "\(answer.text)")
            let keys = try answer.iamCredential()
            #expect(
                try await harness.certificate(IdentityData.prodCluster, project: IdentityData.prodProject, credential: keys).status == .ok
            )
            try await harness.certificate(IdentityData.opsCluster, project: IdentityData.opsProject, credential: keys)
                .expectCCEError(.forbidden, "CCE.01403001", "Forbidden.")
        }
    }

    @Test func keysExpireAfterTheirDuration() async throws {
        let clock = TestClock(Date())
        try await SimulatorHarness.with(IdentityData.configuration(), clock: clock) { harness in
            let answer = try await harness.assumeRole(
                token: try await harness.operatorToken(),
                body: IdentityData.assumeRoleBody(duration: 900)
            )
            let expiresAt = try #require(try answer.json()["credential"] as? [String: any Sendable])["expires_at"] as? String
            #expect(expiresAt?.hasSuffix("Z") == true)
            let keys = try answer.iamCredential()
            try await harness.expectProdKeys(keys, toExpireAfter: 900, on: clock)
        }
    }

    @Test func keysWorkOnlyWithTheirOwnSecurityToken() async throws {
        try await SimulatorHarness.with(IdentityData.configuration()) { harness in
            var keys = try await harness.assumeRole(token: try await harness.operatorToken()).iamCredential()
            keys.securityToken = nil
            try await harness.certificate(IdentityData.prodCluster, project: IdentityData.prodProject, credential: keys)
                .expectGatewayError(.unauthorized, "APIGW.0301", containing: "verify security token fail")
        }
    }

    @Test(arguments: [899, 86_401])
    func durationsOutsideFifteenMinutesToADayAreRefused(duration: Int) async throws {
        try await SimulatorHarness.with(IdentityData.configuration()) { harness in
            try await harness.assumeRole(token: try await harness.operatorToken(), body: IdentityData.assumeRoleBody(duration: duration))
                .expectIAMError(.badRequest, containing: "duration_seconds")
        }
    }

    @Test func theLongestDurationIsADay() async throws {
        try await SimulatorHarness.with(IdentityData.configuration()) { harness in
            let token = try await harness.operatorToken()
            #expect(try await harness.assumeRole(token: token, body: IdentityData.assumeRoleBody(duration: 86_400)).status == .created)
        }
    }

    @Test func theDomainMayBeNamedByItsID() async throws {
        try await SimulatorHarness.with(IdentityData.configuration()) { harness in
            let id = SimulatorConfiguration.accountID(of: IdentityData.prodAccount)
            let body = #"{"auth":{"identity":{"methods":["assume_role"],"assume_role":{"agency_name":"cce-admin","domain_id":"\#(id)"}}}}"#
            let token = try await harness.operatorToken()
            #expect(try await harness.assumeRole(token: token, body: body).status == .created)
        }
    }

    @Test func unknownAgencyUnknownDomainAndUntrustedAccountAreForbidden() async throws {
        try await SimulatorHarness.with(IdentityData.configuration()) { harness in
            let token = try await harness.operatorToken()
            try await harness.assumeRole(token: token, body: IdentityData.assumeRoleBody(agency: "missing"))
                .expectIAMError(.forbidden, containing: "no such agency in the account")
            try await harness.assumeRole(token: token, body: IdentityData.assumeRoleBody(domainName: "nobodys-account"))
                .expectIAMError(.forbidden, containing: "no such agency in the account")
            try await harness.assumeRole(token: token, body: IdentityData.assumeRoleBody(agency: IdentityData.lockedAgency))
                .expectIAMError(.forbidden, containing: "does not trust the caller's account")
        }
    }

    @Test func aTokenWithoutTheAgentOperatorRoleIsForbidden() async throws {
        try await SimulatorHarness.with(IdentityData.configuration()) { harness in
            try await harness.assumeRole(token: try await harness.operatorToken(IdentityData.viewerName))
                .expectIAMError(.forbidden, containing: "Agent Operator")
        }
    }

    @Test func missingForgedAndExpiredTokensAreUnauthorized() async throws {
        let clock = TestClock(Date())
        try await SimulatorHarness.with(IdentityData.configuration(), clock: clock) { harness in
            let path = "/v3.0/OS-CREDENTIAL/securitytokens"
            try await harness.post(harness.simulator.iamEndpoint, path, body: IdentityData.assumeRoleBody())
                .expectIAMError(.unauthorized, containing: "requires authentication")
            try await harness.assumeRole(token: "MIIforged").expectIAMError(.unauthorized, containing: "requires authentication")
            let token = try await harness.operatorToken()
            clock.advance(by: 24 * 3600)
            try await harness.assumeRole(token: token).expectIAMError(.unauthorized, containing: "The token has expired.")
        }
    }

    @Test func aSignedPermanentKeyWithTheRoleMayAssumeToo() async throws {
        try await SimulatorHarness.with(IdentityData.configuration()) { harness in
            let answer = try await harness.signedPost(
                harness.simulator.iamEndpoint,
                "/v3.0/OS-CREDENTIAL/securitytokens",
                body: IdentityData.assumeRoleBody(),
                credential: IdentityData.operatorKey
            )
            #expect(answer.status == .created, "\(answer.text)")
        }
    }

    @Test func agencyKeysThatMayChainAssumeTheNextAgency() async throws {
        try await SimulatorHarness.with(IdentityData.configuration()) { harness in
            let prodKeys = try await harness.assumeRole(token: try await harness.operatorToken()).iamCredential()
            let answer = try await harness.signedPost(
                harness.simulator.iamEndpoint,
                "/v3.0/OS-CREDENTIAL/securitytokens",
                body: IdentityData.assumeRoleBody(domainName: IdentityData.stageAccount),
                credential: prodKeys
            )
            let stageKeys = try answer.iamCredential()
            #expect(
                try await harness.certificate(IdentityData.stageCluster, project: IdentityData.stageProject, credential: stageKeys).status
                    == .ok
            )
        }
    }
}
