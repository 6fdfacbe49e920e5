import CCESigning
import CCESimulator
import Foundation
import Testing

/// STS `AssumeAgency` (new IAM): signed with AK/SK, 900…43 200 seconds within the agency's
/// maximum session, at most 3 600 when the caller itself signs with temporary keys.
@Suite struct AssumeAgencyTests {
    @Test func aSignedPermanentKeyGetsAgencyKeysThatActInTheAgencysAccount() async throws {
        try await SimulatorHarness.with(IdentityData.configuration()) { harness in
            let answer = try await harness.assumeAgency(IdentityData.operatorKey)
            #expect(answer.status == .ok, "\(answer.text)")
            let body = try answer.json()
            let agency = try #require(body["assumed_agency"] as? [String: any Sendable])
            #expect((agency["urn"] as? String)?.hasSuffix(":assumed-agency:cce-admin/kubeconfigd") == true)
            let keys = try answer.stsCredential()
            #expect(keys.accessKey.count == 20 && keys.secretKey.count == 40)
            #expect(
                try await harness.certificate(IdentityData.prodCluster, project: IdentityData.prodProject, credential: keys).status == .ok
            )
            try await harness.certificate(IdentityData.opsCluster, project: IdentityData.opsProject, credential: keys)
                .expectCCEError(.forbidden, "CCE.01403001", "Forbidden.")
        }
    }

    @Test func agencyKeysFindTheAgencysAccountsProjectByName() async throws {
        try await SimulatorHarness.with(IdentityData.configuration()) { harness in
            let keys = try await harness.assumeAgency(IdentityData.operatorKey).stsCredential()
            let answer = try await harness.signedGet(harness.simulator.iamEndpoint, "/v3/projects?name=cn-north-4", credential: keys)
            let projects = try #require(try answer.json()["projects"] as? [[String: any Sendable]])
            #expect(projects.map { $0["id"] as? String } == [IdentityData.prodProject])
            #expect(projects.first?["domain_id"] as? String == SimulatorConfiguration.accountID(of: IdentityData.prodAccount))
        }
    }

    @Test func keysExpireAtTheirExpiration() async throws {
        let clock = TestClock(Date())
        try await SimulatorHarness.with(IdentityData.configuration(), clock: clock) { harness in
            let answer = try await harness.assumeAgency(
                IdentityData.operatorKey,
                body: IdentityData.assumeAgencyBody(duration: 900),
                date: clock.now
            )
            let keys = try answer.stsCredential()
            try await harness.expectProdKeys(keys, toExpireAfter: 900, on: clock)
        }
    }

    @Test func aChainIsLimitedToAnHourPerLink() async throws {
        try await SimulatorHarness.with(IdentityData.configuration()) { harness in
            let prodKeys = try await harness.assumeAgency(IdentityData.operatorKey, body: IdentityData.assumeAgencyBody(duration: 43_200))
                .stsCredential()
            let stage = IdentityData.urn(IdentityData.agencyName, of: IdentityData.stageAccount)
            let tooLong = try await harness.assumeAgency(prodKeys, body: IdentityData.assumeAgencyBody(urn: stage, duration: 3601))
            #expect(tooLong.status == .badRequest)
            #expect(
                try tooLong.json()["error_msg"] as? String
                    == "duration_seconds must be at most 3600 when the caller uses temporary credentials."
            )
            let stageKeys = try await harness.assumeAgency(prodKeys, body: IdentityData.assumeAgencyBody(urn: stage, duration: 3600))
                .stsCredential()
            #expect(
                try await harness.certificate(IdentityData.stageCluster, project: IdentityData.stageProject, credential: stageKeys).status
                    == .ok
            )
        }
    }

    @Test func agencyKeysThatMayNotChainAreForbidden() async throws {
        try await SimulatorHarness.with(IdentityData.configuration()) { harness in
            let prodKeys = try await harness.assumeAgency(IdentityData.operatorKey).stsCredential()
            let stage = IdentityData.urn(IdentityData.agencyName, of: IdentityData.stageAccount)
            let stageKeys = try await harness.assumeAgency(prodKeys, body: IdentityData.assumeAgencyBody(urn: stage)).stsCredential()
            let back = try await harness.assumeAgency(stageKeys)
            #expect(back.status == .forbidden)
            #expect(try back.json()["encoded_authorization_message"] is String)
        }
    }

    @Test(arguments: [
        (IdentityData.assumeAgencyBody(duration: 899), "duration_seconds must be between 900 and 43200."),
        (IdentityData.assumeAgencyBody(duration: 43_201), "duration_seconds must be between 900 and 43200."),
        (IdentityData.assumeAgencyBody(session: "x"), "agency_session_name must be"),
        (IdentityData.assumeAgencyBody(urn: "agency:cce-admin"), "agency_urn must be"),
        (#"{"agency_urn":"iam::0:agency:a"}"#, "agency_session_name are required"),
    ])
    func badBodiesAreRefusedWithSTSsErrorShape(body: String, expected: String) async throws {
        try await SimulatorHarness.with(IdentityData.configuration()) { harness in
            let answer = try await harness.assumeAgency(IdentityData.operatorKey, body: body)
            #expect(answer.status == .badRequest)
            let json = try answer.json()
            #expect(Set(json.keys) == ["error_code", "error_msg"])
            #expect((json["error_msg"] as? String)?.contains(expected) == true, "\(json)")
        }
    }

    @Test func aDurationAboveTheAgencysMaximumSessionIsRefused() async throws {
        var configuration = IdentityData.configuration()
        configuration.agencies[0].maximumSession = .seconds(3600)
        try await SimulatorHarness.with(configuration) { harness in
            let answer = try await harness.assumeAgency(IdentityData.operatorKey, body: IdentityData.assumeAgencyBody(duration: 3601))
            #expect(answer.status == .badRequest)
            #expect((try answer.json()["error_msg"] as? String)?.contains("maximum session") == true)
        }
    }

    @Test func unknownAgencyIsNotFoundAndAnUntrustedOrUnentitledCallerForbidden() async throws {
        try await SimulatorHarness.with(IdentityData.configuration()) { harness in
            let missing = try await harness.assumeAgency(
                IdentityData.operatorKey,
                body: IdentityData.assumeAgencyBody(urn: IdentityData.urn("missing", of: IdentityData.prodAccount))
            )
            #expect(missing.status == .notFound)
            let otherAccount = try await harness.assumeAgency(
                IdentityData.operatorKey,
                body: IdentityData.assumeAgencyBody(urn: IdentityData.urn(IdentityData.agencyName, of: "nobodys-account"))
            )
            #expect(otherAccount.status == .notFound)
            let locked = try await harness.assumeAgency(
                IdentityData.operatorKey,
                body: IdentityData.assumeAgencyBody(urn: IdentityData.urn(IdentityData.lockedAgency, of: IdentityData.prodAccount))
            )
            #expect(locked.status == .forbidden)
            #expect(try locked.json()["error_msg"] as? String == "The agency does not trust the caller's account.")
            let viewer = AccessKeyCredential(accessKey: IdentityData.viewerAccessKey, secretKey: IdentityData.viewerSecretKey)
            let unentitled = try await harness.assumeAgency(viewer)
            #expect(unentitled.status == .forbidden)
        }
    }

    @Test func anUnsignedOrBadlySignedRequestIsRefusedByTheGateway() async throws {
        try await SimulatorHarness.with(IdentityData.configuration()) { harness in
            try await harness.post(harness.simulator.stsEndpoint, "/v5/agencies/assume", body: IdentityData.assumeAgencyBody())
                .expectGatewayError(.unauthorized, "APIGW.0301", containing: "the request is not signed")
            let token = try await harness.operatorToken()
            try await harness.post(
                harness.simulator.stsEndpoint,
                "/v5/agencies/assume",
                body: IdentityData.assumeAgencyBody(),
                headers: [("X-Auth-Token", token)]
            )
            .expectGatewayError(.unauthorized, "APIGW.0301", containing: "the request is not signed")
            let wrong = AccessKeyCredential(accessKey: IdentityData.operatorAccessKey, secretKey: "SKwrong")
            try await harness.assumeAgency(wrong).expectGatewayError(.unauthorized, "APIGW.0301", containing: "verify aksk signature fail")
        }
    }

    @Test func aConfiguredKeyLifetimeOverridesTheRequestedDurationAndKeysAreCounted() async throws {
        let clock = TestClock(Date())
        var configuration = IdentityData.configuration()
        configuration.temporaryKeyLifetime = .seconds(30)
        try await SimulatorHarness.with(configuration, clock: clock) { harness in
            let answer = try await harness.assumeAgency(
                IdentityData.operatorKey,
                body: IdentityData.assumeAgencyBody(duration: 3600),
                date: clock.now
            )
            let keys = try answer.stsCredential()
            let expiration = try #require((try answer.json()["credentials"] as? [String: any Sendable])?["expiration"] as? String)
            let expiresAt = try #require(STSExpiration.date(expiration))
            #expect(abs(expiresAt.timeIntervalSince(clock.now) - 30) < 0.002, "\(expiration)")
            #expect(harness.simulator.temporaryKeyCount == 1)
            clock.advance(by: 30)
            try await harness.certificate(IdentityData.prodCluster, project: IdentityData.prodProject, credential: keys, date: clock.now)
                .expectGatewayError(.unauthorized, "APIGW.0301", containing: "signature expired")
            #expect(
                try await harness.assumeAgency(IdentityData.operatorKey, body: IdentityData.assumeAgencyBody(duration: 60), date: clock.now)
                    .status == .badRequest
            )
        }
    }
}

/// STS's `expiration`, RFC 3339 UTC with milliseconds, read back.
enum STSExpiration {
    static func date(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }
}
