import CCESigning
import CCESimulator
import Foundation
import Testing

/// IAM's OpenID Connect login: an id token of a configured provider for a federated token, then
/// temporary keys for that token, as Huawei's SDKs do with `idp_id` and `id_token_file`.
@Suite struct IDTokenLoginTests {
    @Test func anIDTokenBecomesAFederatedTokenAndThenKeys() async throws {
        let signer = IDTokenSigner()
        try await SimulatorHarness.with(IdentityData.configuration(signer: signer)) { harness in
            let login = try await harness.idTokenLogin(signer.idToken())
            #expect(login.status == .created, "\(login.text)")
            let token = try #require(login.headers.first(name: "X-Subject-Token"))
            let user = try #require((try login.json()["token"] as? [String: any Sendable])?["user"] as? [String: any Sendable])
            #expect(Answer.value(user, "OS-FEDERATION", "identity_provider", "id") as? String == IdentityData.identityProviderID)

            #expect(try await harness.certificate(IdentityData.opsCluster, project: IdentityData.opsProject, token: token).status == .ok)
            let keys = try await harness.keys(forToken: token).iamCredential()
            #expect(
                try await harness.certificate(IdentityData.opsCluster, project: IdentityData.opsProject, credential: keys).status == .ok
            )
        }
    }

    @Test func aFederatedIdentityWithTheRoleMayAssumeAnAgency() async throws {
        let signer = IDTokenSigner()
        try await SimulatorHarness.with(IdentityData.configuration(signer: signer)) { harness in
            let token = try #require(try await harness.idTokenLogin(signer.idToken()).headers.first(name: "X-Subject-Token"))
            let keys = try await harness.assumeRole(token: token).iamCredential()
            #expect(
                try await harness.certificate(IdentityData.prodCluster, project: IdentityData.prodProject, credential: keys).status == .ok
            )
        }
    }

    @Test func aDomainScopedTokenGetsKeysButNoCCEAccess() async throws {
        let signer = IDTokenSigner()
        try await SimulatorHarness.with(IdentityData.configuration(signer: signer)) { harness in
            let scope = #"{"domain":{"name":"\#(IdentityData.opsAccount)"}}"#
            let login = try await harness.idTokenLogin(signer.idToken(), scope: scope)
            #expect(login.status == .created, "\(login.text)")
            let token = try #require(login.headers.first(name: "X-Subject-Token"))
            try await harness.certificate(IdentityData.opsCluster, project: IdentityData.opsProject, token: token)
                .expectCCEError(.forbidden, "CCE.01403001", "Forbidden.")
            #expect(try await harness.keys(forToken: token).status == .created)
        }
    }

    @Test func theProviderIsNamedInXIdpIdAndMustBeConfigured() async throws {
        let signer = IDTokenSigner()
        try await SimulatorHarness.with(IdentityData.configuration(signer: signer)) { harness in
            try await harness.idTokenLogin(signer.idToken(), provider: nil).expectIAMError(.badRequest, containing: "idp id")
            try await harness.idTokenLogin(signer.idToken(), provider: "other-provider")
                .expectIAMError(.notFound, containing: "Could not find identity provider: other-provider.")
        }
    }

    @Test func tokensOfAnotherSignerIssuerOrAudienceAreRefused() async throws {
        let signer = IDTokenSigner()
        try await SimulatorHarness.with(IdentityData.configuration(signer: signer)) { harness in
            try await harness.idTokenLogin(IDTokenSigner().idToken()).expectIAMError(.unauthorized, containing: "signature does not verify")
            try await harness.idTokenLogin(signer.idToken(issuer: "https://elsewhere.test")).expectIAMError(
                .unauthorized,
                containing: "issuer"
            )
            try await harness.idTokenLogin(signer.idToken(audience: "someone-else")).expectIAMError(.unauthorized, containing: "audience")
            try await harness.idTokenLogin("not-a-jwt").expectIAMError(.unauthorized, containing: "not a signed JWT")
        }
    }

    @Test func anExpiredIDTokenIsRefused() async throws {
        let clock = TestClock(Date())
        let signer = IDTokenSigner()
        try await SimulatorHarness.with(IdentityData.configuration(signer: signer), clock: clock) { harness in
            let idToken = signer.idToken(now: clock.now, lifetime: 300)
            #expect(try await harness.idTokenLogin(idToken).status == .created)
            clock.advance(by: 300)
            try await harness.idTokenLogin(idToken).expectIAMError(.unauthorized, containing: "The id token has expired.")
        }
    }

    @Test func aScopeIsRequiredAndMustBeTheProvidersAccount() async throws {
        let signer = IDTokenSigner()
        try await SimulatorHarness.with(IdentityData.configuration(signer: signer)) { harness in
            try await harness.idTokenLogin(signer.idToken(), scope: "{}").expectIAMError(.badRequest, containing: "scope is required")
            try await harness.idTokenLogin(signer.idToken(), scope: #"{"project":{"id":"\#(IdentityData.prodProject)"}}"#)
                .expectIAMError(.unauthorized, containing: "The project in the scope does not exist.")
            try await harness.idTokenLogin(signer.idToken(), scope: #"{"domain":{"name":"\#(IdentityData.prodAccount)"}}"#)
                .expectIAMError(.unauthorized, containing: "not the identity provider's account")
        }
    }

    @Test func keysForATokenLastFifteenMinutesByDefaultAndExpire() async throws {
        let clock = TestClock(Date())
        let signer = IDTokenSigner()
        try await SimulatorHarness.with(IdentityData.configuration(signer: signer), clock: clock) { harness in
            let token = try #require(try await harness.idTokenLogin(signer.idToken(now: clock.now)).headers.first(name: "X-Subject-Token"))
            let body = #"{"auth":{"identity":{"methods":["token"]}}}"#
            let answer = try await harness.post(
                harness.simulator.iamEndpoint,
                "/v3.0/OS-CREDENTIAL/securitytokens",
                body: body,
                headers: [("X-Auth-Token", token)]
            )
            let keys = try answer.iamCredential()
            clock.advance(by: 900)
            try await harness.certificate(IdentityData.opsCluster, project: IdentityData.opsProject, credential: keys, date: clock.now)
                .expectGatewayError(.unauthorized, "APIGW.0301", containing: "signature expired")
            try await harness.keys(forToken: token, duration: 86_401).expectIAMError(.badRequest, containing: "duration_seconds")
        }
    }
}
