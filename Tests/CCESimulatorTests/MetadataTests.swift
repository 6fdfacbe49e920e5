import CCESigning
import CCESimulator
import Foundation
import Testing

/// The ECS metadata service: the attached agency's temporary keys at
/// `GET /openstack/latest/securitykey`, plain HTTP on 127.0.0.1, renewed before they expire.
@Suite struct MetadataTests {
    private func securityKey(_ harness: SimulatorHarness) async throws -> Answer {
        let metadata = try #require(harness.simulator.metadataEndpoint)
        return try await harness.send(.GET, url: metadata.appendingPathComponent("openstack/latest/securitykey"), headers: [], body: [])
    }

    @Test func theSecurityKeyActsInTheAgencysAccount() async throws {
        try await SimulatorHarness.with(IdentityData.configuration()) { harness in
            let endpoint = try #require(harness.simulator.metadataEndpoint)
            #expect(endpoint.absoluteString.hasPrefix("http://127.0.0.1:"))
            let keys = try await securityKey(harness).iamCredential()
            #expect(
                try await harness.certificate(IdentityData.prodCluster, project: IdentityData.prodProject, credential: keys).status == .ok
            )
            try await harness.certificate(IdentityData.opsCluster, project: IdentityData.opsProject, credential: keys)
                .expectCCEError(.forbidden, "CCE.01403001", "Forbidden.")
        }
    }

    @Test func theSameKeyIsServedUntilHalfItsLifeThenANewOne() async throws {
        let clock = TestClock(Date())
        try await SimulatorHarness.with(IdentityData.configuration(metadataKeyLifetime: .seconds(900)), clock: clock) { harness in
            let first = try await securityKey(harness).iamCredential()
            clock.advance(by: 449)
            #expect(try await securityKey(harness).iamCredential() == first)
            clock.advance(by: 1)
            let second = try await securityKey(harness).iamCredential()
            #expect(second.accessKey != first.accessKey)
            clock.advance(by: 450)
            try await harness.certificate(IdentityData.prodCluster, project: IdentityData.prodProject, credential: first, date: clock.now)
                .expectGatewayError(.unauthorized, "APIGW.0301", containing: "signature expired")
            #expect(
                try await harness.certificate(
                    IdentityData.prodCluster,
                    project: IdentityData.prodProject,
                    credential: second,
                    date: clock.now
                ).status == .ok
            )
        }
    }

    @Test func anHourLongKeyIsReplacedTenMinutesBeforeItExpires() async throws {
        let clock = TestClock(Date())
        try await SimulatorHarness.with(IdentityData.configuration(metadataKeyLifetime: .seconds(3600)), clock: clock) { harness in
            let first = try await securityKey(harness).iamCredential()
            clock.advance(by: 2999)
            #expect(try await securityKey(harness).iamCredential() == first)
            clock.advance(by: 1)
            #expect(try await securityKey(harness).iamCredential() != first)
        }
    }

    @Test func aSessionTokenFromTheTokenAPIIsAcceptedUntilItExpires() async throws {
        let clock = TestClock(Date())
        var configuration = IdentityData.configuration()
        configuration.metadata?.requiresToken = true
        try await SimulatorHarness.with(configuration, clock: clock) { harness in
            let metadata = try #require(harness.simulator.metadataEndpoint)
            let tokenURL = metadata.appendingPathComponent("meta-data/latest/api/token")
            #expect(try await harness.send(.PUT, url: tokenURL, headers: [], body: []).status == .badRequest)
            let session = try await harness.send(.PUT, url: tokenURL, headers: [("X-Metadata-Token-Ttl-Seconds", "60")], body: [])
            #expect(session.status == .ok)
            let keyURL = metadata.appendingPathComponent("openstack/latest/securitykey")
            #expect(try await harness.send(.GET, url: keyURL, headers: [], body: []).status == .unauthorized)
            #expect(try await harness.send(.GET, url: keyURL, headers: [("X-Metadata-Token", session.text)], body: []).status == .ok)
            clock.advance(by: 60)
            #expect(
                try await harness.send(.GET, url: keyURL, headers: [("X-Metadata-Token", session.text)], body: []).status == .unauthorized
            )
            #expect(try await harness.send(.GET, url: keyURL, headers: [("X-Metadata-Token", "forged")], body: []).status == .unauthorized)
        }
    }

    @Test func otherPathsAreNotFound() async throws {
        try await SimulatorHarness.with(IdentityData.configuration()) { harness in
            let metadata = try #require(harness.simulator.metadataEndpoint)
            let answer = try await harness.send(
                .GET,
                url: metadata.appendingPathComponent("openstack/latest/meta_data.json"),
                headers: [],
                body: []
            )
            #expect(answer.status == .notFound)
        }
    }

    @Test func withoutAnAttachedAgencyThereIsNoMetadataService() async throws {
        try await SimulatorHarness.with { harness in
            #expect(harness.simulator.metadataEndpoint == nil)
        }
    }
}
