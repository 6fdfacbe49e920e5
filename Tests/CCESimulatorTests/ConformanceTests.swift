import CCESigning
import CCESimulator
import Foundation
import Testing

/// Every answer the simulator gives, checked against Huawei's published API definitions
/// (`Tests/Fixtures/huawei-api-definitions`), and the check itself shown to fail on answers
/// that break them.
@Suite struct ConformanceTests {
    static let listClusters = try! APIDefinition("CCE/ListClusters.json")
    static let clusterCert = try! APIDefinition("CCE/CreateKubernetesClusterCert.json")
    static let authProjects = try! APIDefinition("IAM/KeystoneListAuthProjects.json")
    static let scopedToken = try! APIDefinition("IAM/KeystoneCreateScopedToken.json")
    static let keysByAgency = try! APIDefinition("IAM/CreateTemporaryAccessKeyByAgency.json")
    static let keysByToken = try! APIDefinition("IAM/CreateTemporaryAccessKeyByToken.json")
    static let assumeAgency = try! APIDefinition("STS/AssumeAgency.json")

    @Test func certificateAnswersConform() async throws {
        try await SimulatorHarness.with { harness in
            for cluster in [TestData.externalCluster, TestData.internalCluster] {
                Self.clusterCert.expectConforms(try await harness.signed(SimulatorHarness.certPath(cluster)), status: 200)
            }
            let autopilot = try await harness.signed(SimulatorHarness.certPath(TestData.autopilotCluster, autopilot: true))
            Self.clusterCert.expectConforms(autopilot, status: 200)
        }
    }

    @Test func listClustersAnswersConformForEveryCategoryAndFamily() async throws {
        try await SimulatorHarness.with(FleetData.configuration()) { harness async throws in
            let list = try await harness.listClusters()
            Self.listClusters.expectConforms(list, status: 200)
            #expect(try list.items().count == 2)
            Self.listClusters.expectConforms(try await harness.listClusters(autopilot: true), status: 200)
        }
    }

    @Test func listedClustersCarryTheNetworksTheDefinitionRequires() async throws {
        try await SimulatorHarness.with(FleetData.configuration()) { harness async throws in
            let items = try await harness.listClusters().items()
            let byName = Dictionary(uniqueKeysWithValues: items.map { (Answer.value($0, "metadata", "name") as? String ?? "", $0) })
            let prod = try #require(byName["prod"])
            #expect(Answer.value(prod, "spec", "hostNetwork", "vpc") is String)
            #expect(Answer.value(prod, "spec", "containerNetwork", "mode") as? String == "overlay_l2")
            #expect(Answer.value(prod, "spec", "eniNetwork") == nil)
            let turbo = try #require(byName["batch"])
            #expect(Answer.value(turbo, "spec", "containerNetwork", "mode") as? String == "eni")
            #expect(Answer.value(turbo, "spec", "eniNetwork", "eniSubnetId") is String)
        }
    }

    @Test func projectListsConform() async throws {
        try await SimulatorHarness.with(FleetData.configuration()) { harness async throws in
            let auth = try await harness.getWithToken(TestData.staticToken, harness.simulator.iamEndpoint, "/v3/auth/projects")
            Self.authProjects.expectConforms(auth, status: 200)
            let byName = try await harness.signedGet(
                harness.simulator.iamEndpoint,
                "/v3/projects?name=cn-north-4",
                credential: FleetData.iamCredential
            )
            Self.authProjects.expectConforms(byName, status: 200)
        }
    }

    @Test func passwordTokenConformsWhereItSharesTheScopedTokenDefinition() async throws {
        try await SimulatorHarness.with { harness in
            // Only federated tokens carry user.OS-FEDERATION, and only domain-scoped ones domain.
            Self.scopedToken.expectConforms(
                try await harness.login(),
                status: 201,
                exempting: ["token.user.OS-FEDERATION", "token.domain"]
            )
        }
    }

    @Test func temporaryKeyAnswersAndTheirErrorsConform() async throws {
        try await SimulatorHarness.with(IdentityData.configuration()) { harness in
            let token = try await harness.operatorToken()
            Self.keysByAgency.expectConforms(try await harness.assumeRole(token: token), status: 201)
            Self.keysByAgency.expectConforms(
                try await harness.assumeRole(token: token, body: IdentityData.assumeRoleBody(duration: 899)),
                status: 400
            )
            Self.keysByAgency.expectConforms(try await harness.assumeRole(token: "MIIforged"), status: 401)
            Self.keysByAgency.expectConforms(
                try await harness.assumeRole(token: token, body: IdentityData.assumeRoleBody(agency: "nope")),
                status: 403
            )

            let byToken = #"{"auth":{"identity":{"methods":["token"],"token":{"duration_seconds":900}}}}"#
            let path = "/v3.0/OS-CREDENTIAL/securitytokens"
            Self.keysByToken.expectConforms(
                try await harness.post(harness.simulator.iamEndpoint, path, body: byToken, headers: [("X-Auth-Token", token)]),
                status: 201
            )
            Self.keysByToken.expectConforms(try await harness.post(harness.simulator.iamEndpoint, path, body: byToken), status: 401)
        }
    }

    @Test func assumeAgencyAnswersAndTheirErrorsConform() async throws {
        try await SimulatorHarness.with(IdentityData.configuration()) { harness in
            Self.assumeAgency.expectConforms(try await harness.assumeAgency(IdentityData.operatorKey), status: 200)
            Self.assumeAgency.expectConforms(
                try await harness.assumeAgency(IdentityData.operatorKey, body: IdentityData.assumeAgencyBody(duration: 60)),
                status: 400
            )
            let locked = IdentityData.assumeAgencyBody(urn: IdentityData.urn(IdentityData.lockedAgency, of: IdentityData.prodAccount))
            Self.assumeAgency.expectConforms(try await harness.assumeAgency(IdentityData.operatorKey, body: locked), status: 403)
            let missing = IdentityData.assumeAgencyBody(urn: IdentityData.urn("missing", of: IdentityData.prodAccount))
            Self.assumeAgency.expectConforms(try await harness.assumeAgency(IdentityData.operatorKey, body: missing), status: 404)
        }
    }

    @Test func idTokenLoginConformsToTheFederatedScopedToken() async throws {
        let signer = IDTokenSigner()
        try await SimulatorHarness.with(IdentityData.configuration(signer: signer)) { harness in
            let answer = try await harness.idTokenLogin(signer.idToken())
            Self.scopedToken.expectConforms(answer, status: 201)
        }
    }

    @Test func metadataKeysConformToIAMsCredential() async throws {
        try await SimulatorHarness.with(IdentityData.configuration()) { harness in
            let metadata = try #require(harness.simulator.metadataEndpoint)
            let answer = try await harness.send(
                .GET,
                url: metadata.appendingPathComponent("openstack/latest/securitykey"),
                headers: [],
                body: []
            )
            // The metadata service has no definition of its own; its answer is IAM's `credential`.
            #expect(answer.status == .ok)
            let violations = Self.keysByToken.violations(of: answer.body, status: 201)
            #expect(violations.isEmpty, "\(violations)")
        }
    }

    // MARK: The validator fails answers that break the definitions.

    @Test(
        arguments: [
            (["spec", "hostNetwork"], nil, "the required hostNetwork is missing"),
            (["spec", "containerNetwork"], nil, "the required containerNetwork is missing"),
            (["spec", "eniNetwork", "subnets"], nil, "the required subnets is missing"),
            (["metadata", "name"], JSONDocument.string("web"), "3 characters, fewer than 4"),
            (["metadata", "uid"], JSONDocument.string("not-a-uuid"), "does not match"),
            (["spec", "category"], JSONDocument.string("Autopilot"), "is not one of"),
            (["spec", "hostNetwork"], JSONDocument.string("vpc-1"), "a string where the definition has object"),
        ] as [([String], JSONDocument?, String)]
    )
    func brokenListItemsFail(path: [String], value: JSONDocument?, expected: String) async throws {
        try await SimulatorHarness.with(FleetData.configuration()) { harness async throws in
            let list = try JSONDocument(bytes: try await harness.listClusters().body)
            guard case .array(let items)? = list["items"] else { throw TestSupportFailure("no items") }
            let turbo = try #require(items.first { $0["spec"]?["category"]?.string == "Turbo" })
            #expect(
                Self.listClusters.violations(
                    of: .object(["apiVersion": .string("v3"), "kind": .string("Cluster"), "items": .array([turbo])]),
                    status: 200
                ).isEmpty
            )
            let broken = JSONDocument.object([
                "apiVersion": .string("v3"), "kind": .string("Cluster"), "items": .array([turbo.replacing(path, with: value)]),
            ])
            let violations = Self.listClusters.violations(of: broken, status: 200)
            #expect(violations.contains { $0.contains(expected) }, "\(violations)")
        }
    }

    @Test func brokenCredentialsFail() async throws {
        try await SimulatorHarness.with(IdentityData.configuration()) { harness in
            let sts = try JSONDocument(bytes: try await harness.assumeAgency(IdentityData.operatorKey).body)
            let shortKey = sts.replacing(["credentials", "access_key_id"], with: .string("AKSHORT"))
            #expect(Self.assumeAgency.violations(of: shortKey, status: 200).contains { $0.contains("fewer than 20") })
            let badDate = sts.replacing(["credentials", "expiration"], with: .string("2026-12-06 10:00:00"))
            #expect(Self.assumeAgency.violations(of: badDate, status: 200).contains { $0.contains("not an RFC 3339 date-time") })
            let noToken = sts.replacing(["credentials", "security_token"], with: nil)
            #expect(
                Self.assumeAgency.violations(of: noToken, status: 200).contains { $0.contains("the required security_token is missing") }
            )
            let forbiddenWithoutMessage = JSONDocument.object(["error_code": .string("STS.0003"), "error_msg": .string("no")])
            #expect(
                Self.assumeAgency.violations(of: forbiddenWithoutMessage, status: 403).contains {
                    $0.contains("encoded_authorization_message")
                }
            )

            let iam = try JSONDocument(bytes: try await harness.assumeRole(token: try await harness.operatorToken()).body)
            let numericSecret = iam.replacing(["credential", "secret"], with: .integer(5))
            #expect(
                Self.keysByAgency.violations(of: numericSecret, status: 201).contains {
                    $0.contains("an integer where the definition has string")
                }
            )
            #expect(!Self.keysByAgency.violations(of: .object([:]), status: 201).isEmpty)
            #expect(!Self.keysByAgency.violations(of: iam, status: 404).isEmpty)
        }
    }

    @Test func brokenTokensFail() async throws {
        try await SimulatorHarness.with { harness in
            let login = try await harness.login()
            let token = try JSONDocument(bytes: login.body)
            let exempt: Set<String> = ["token.user.OS-FEDERATION", "token.domain"]
            #expect(Self.scopedToken.violations(of: token, status: 201, exempting: exempt).isEmpty)
            #expect(!Self.scopedToken.violations(of: token, status: 201).isEmpty, "the exemptions are needed, so they mean something")
            let noProject = token.replacing(["token", "project"], with: nil)
            #expect(
                Self.scopedToken.violations(of: noProject, status: 201, exempting: exempt).contains {
                    $0.contains("the required project is missing")
                }
            )
            let rolesAsText = token.replacing(["token", "roles"], with: .string("te_admin"))
            #expect(
                Self.scopedToken.violations(of: rolesAsText, status: 201, exempting: exempt).contains {
                    $0.contains("a string where the definition has array")
                }
            )
        }
    }
}
