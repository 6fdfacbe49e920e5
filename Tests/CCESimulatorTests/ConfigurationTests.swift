import CCESimulator
import Foundation
import Testing

/// The configuration file, the faults' text form, and start-up checks.
@Suite struct ConfigurationTests {
    /// The JSON example in docs/simulator.md, so that the documentation cannot drift from the parser.
    /// The `index`th (from 0) JSON example of docs/simulator.md.
    private static func documentedExample(_ index: Int = 0) throws -> Data {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/simulator.md")
        let text = try String(contentsOf: docs, encoding: .utf8)
        var start = try #require(text.range(of: "```json\n"))
        for _ in 0..<index {
            start = try #require(text.range(of: "```json\n", range: start.upperBound..<text.endIndex))
        }
        let end = try #require(text.range(of: "\n```", range: start.upperBound..<text.endIndex))
        return Data(text[start.upperBound..<end.lowerBound].utf8)
    }

    @Test func documentedExampleParsesToWhatItSays() throws {
        let configuration = try SimulatorConfiguration(json: try Self.documentedExample())
        #expect(configuration.accessKeys == ["AKDEMO0000000000001": "SKdemo-secret"])
        let temporary = try #require(configuration.temporaryAccessKeys["AKDEMOTEMP000000002"])
        #expect(temporary.securityToken == "STdemo-token")
        #expect(temporary.expiresAt == Date(timeIntervalSince1970: 1_893_456_000))
        #expect(configuration.users == [IAMUser(domain: "demo-account", name: "alice", password: "demo-password")])
        #expect(configuration.staticTokens == [StaticToken(token: "MIIdemo-static-token", projectID: "0123456789abcdef0123456789abcdef")])
        #expect(
            configuration.projectNames == [
                "0123456789abcdef0123456789abcdef": "cn-north-4", "00112233445566778899aabbccddeeff": "cn-north-4_dev",
            ]
        )
        #expect(configuration.listFaults == ["00112233445566778899aabbccddeeff": .internalError])
        #expect(
            configuration.clusters == [
                SimulatedCluster(
                    projectID: "0123456789abcdef0123456789abcdef",
                    clusterID: "4e7a9f1c-0000-11ee-8f3a-0255ac100b03",
                    hasExternalEndpoint: true,
                    name: "prod",
                    labels: ["env": "prod"]
                ),
                SimulatedCluster(
                    projectID: "0123456789abcdef0123456789abcdef",
                    clusterID: "4e7a9f1c-0000-11ee-8f3a-0255ac100b04",
                    certificateLifetime: .seconds(120),
                    type: .autopilot,
                    fault: .throttled(retryAfterSeconds: 5),
                    name: "pilot",
                    phase: "Hibernation"
                ),
            ]
        )
        #expect(configuration.allowedClockSkew == .seconds(900))
        #expect(configuration.cloud == .huaweicloud)
        #expect(configuration.certificateThrottle == CallThrottle(limit: 10, window: .seconds(60)))
    }

    @Test func documentedIdentityExampleParsesToWhatItSaysAndStarts() async throws {
        let configuration = try SimulatorConfiguration(json: try Self.documentedExample(1))
        #expect(
            configuration.users == [IAMUser(domain: "ops-account", name: "operator", password: "demo-password", mayAssumeAgencies: true)]
        )
        #expect(configuration.accessKeyOwners == ["AKOPS00000000000001": AccessKeyOwner(account: "ops-account", mayAssumeAgencies: true)])
        #expect(configuration.projectAccounts == ["0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b": "prod-account"])
        #expect(
            configuration.agencies == [
                Agency(
                    account: "prod-account",
                    name: "cce-admin",
                    trustedAccount: "ops-account",
                    maximumSession: .seconds(43_200),
                    mayAssumeAgencies: true
                ),
                Agency(account: "prod-account", name: "ecs-agency", trustedAccount: "op_svc_ecs"),
            ]
        )
        let provider = try #require(configuration.identityProviders.first)
        #expect(
            [provider.id, provider.account, provider.issuer, provider.clientID] == [
                "ci-provider", "ops-account", "https://ci.example.test", "cce-kubeconfigd",
            ]
        )
        #expect(provider.tokenLifetime == .seconds(86_400) && provider.mayAssumeAgencies)
        #expect(
            configuration.metadata == MetadataService(agencyAccount: "prod-account", agencyName: "ecs-agency", keyLifetime: .seconds(900))
        )
        try await TemporaryDirectory.with { directory in
            let simulator = try await CCESimulator.start(
                configuration,
                directory: URL(fileURLWithPath: directory.path).appendingPathComponent("sim")
            )
            #expect(simulator.metadataEndpoint != nil)
            await simulator.shutdown()
        }
    }

    @Test(arguments: ["web", "Prod", "prod-", "1prod", "prod_web", String(repeating: "a", count: 129)])
    func clusterNamesCCERefusesAreRefused(name: String) async throws {
        var configuration = TestData.configuration
        configuration.clusters[0].name = name
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cce-simulator-tests-\(UUID().uuidString)")
        let error = await #expect(throws: SimulatorError.self) { _ = try await CCESimulator.start(configuration, directory: directory) }
        #expect(error?.description.contains("4 to 128 lower-case letters") == true, "\(String(describing: error))")
    }

    @Test func aClusterAddedAtRunTimeWithAShortNameIsRefused() async throws {
        try await SimulatorHarness.with { harness in
            await #expect(throws: SimulatorError.self) {
                try await harness.simulator.addCluster(
                    SimulatedCluster(projectID: TestData.project, clusterID: "5f000000-0000-4000-8000-000000000001", name: "abc")
                )
            }
            #expect(harness.simulator.apiServers.count == TestData.configuration.clusters.count)
        }
    }

    @Test(arguments: [
        (#"{"agencies": [{"account": "a", "name": "n"}]}"#, "agencies[0].trusted_account is missing"),
        (
            #"{"identity_providers": [{"id": "i", "account": "a", "issuer": "x", "client_id": "c"}]}"#,
            "identity_providers[0].public_key_pem is missing"
        ),
        (#"{"metadata": {"agency_name": "n"}}"#, "metadata.agency_account is missing"),
        (#"{"agencies": [{"account": "a", "name": "n", "trusted_account": "t", "trust": "x"}]}"#, "agencies[0]: unknown key \"trust\""),
    ])
    func badIdentityEntriesAreRefusedAtTheirPlace(json: String, expected: String) throws {
        let error = try #require(throws: SimulatorError.self) { try SimulatorConfiguration(json: Data(json.utf8), source: "sim.json") }
        #expect(error.description.contains(expected), "\(error)")
    }

    @Test func identityContradictionsAreRefusedAtStart() async throws {
        var repeatedAgency = IdentityData.configuration()
        repeatedAgency.agencies.append(repeatedAgency.agencies[0])
        var badKey = IdentityData.configuration()
        badKey.identityProviders[0].publicKeyPEM = "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"
        var missingMetadataAgency = IdentityData.configuration()
        missingMetadataAgency.metadata?.agencyName = "nowhere"
        var longSession = IdentityData.configuration()
        longSession.agencies[0].maximumSession = .seconds(43_201)
        for configuration in [repeatedAgency, badKey, missingMetadataAgency, longSession] {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cce-simulator-tests-\(UUID().uuidString)")
            await #expect(throws: SimulatorError.self) { _ = try await CCESimulator.start(configuration, directory: directory) }
        }
    }

    @Test(arguments: [
        (#"{"clusters": [{"project_id": "p", "cluster_id": "c", "fualt": "hang"}]}"#, "clusters[0]: unknown key \"fualt\""),
        (#"{"clusters": [{"project_id": "p", "cluster_id": "c", "fault": "explode"}]}"#, "clusters[0].fault: \"explode\" is not a fault"),
        (#"{"clusters": [{"cluster_id": "c"}]}"#, "clusters[0].project_id is missing"),
        (#"{"access_keys": [{"access_key": "AK1", "secret_key": 5}]}"#, "access_keys[0].secret_key: "),
        (
            #"{"access_keys": [{"access_key": "AK1", "secret_key": "SK-first"}, {"access_key": "AK1", "secret_key": "SK-second"}]}"#,
            "access_keys[1] repeats an earlier access key"
        ),
        (#"{"users": "#, "the document: "),
        (#"{"cloud": "azure"}"#, "cloud: "),
        (#"{"throttle": {"limit": 10}}"#, "throttle.window_seconds is missing"),
        (#"{"clusters": [{"project_id": "p", "cluster_id": "c", "category": "Autopilot"}]}"#, "clusters[0].category: "),
        (#"{"projects": [{"id": "p", "name": "n", "list_fault": "explode"}]}"#, "projects[0].list_fault: \"explode\" is not a fault"),
    ])
    func badFilesAreRefusedAtTheirPlaceWithoutTheirValues(json: String, expected: String) throws {
        let error = try #require(throws: SimulatorError.self) { try SimulatorConfiguration(json: Data(json.utf8), source: "sim.json") }
        #expect(error.description.hasPrefix("sim.json: "))
        #expect(error.description.contains(expected), "\(error)")
        for secret in ["SK-first", "SK-second", "AK1"] {
            #expect(!error.description.contains(secret), "\(error)")
        }
    }

    @Test func contradictionsAreRefusedAtStart() async throws {
        var repeated = TestData.configuration
        repeated.clusters.append(SimulatedCluster(projectID: TestData.otherProject, clusterID: TestData.internalCluster))
        var negative = TestData.configuration
        negative.clusters[0].certificateLifetime = .seconds(0)
        var sameName = TestData.configuration
        sameName.clusters[1].name = sameName.clusters[0].name
        var certificateOnlyListFault = TestData.configuration
        certificateOnlyListFault.listFaults[TestData.project] = .plainHTTPServer
        var noLimit = TestData.configuration
        noLimit.certificateThrottle = CallThrottle(limit: 0, window: .seconds(60))
        for configuration in [repeated, negative, sameName, certificateOnlyListFault, noLimit] {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cce-simulator-tests-\(UUID().uuidString)")
            await #expect(throws: SimulatorError.self) { _ = try await CCESimulator.start(configuration, directory: directory) }
            #expect(!FileManager.default.fileExists(atPath: directory.path))
        }
    }

    @Test func fleetKeysParse() throws {
        let configuration = try SimulatorConfiguration(
            json: Data(
                """
                {"cloud": "otc", "throttle": {"limit": 10, "window_seconds": 60},
                 "projects": [{"id": "p", "name": "eu-de", "list_fault": "hang"}],
                 "clusters": [{"project_id": "p", "cluster_id": "c", "name": "prod", "phase": "Hibernation",
                               "labels": {"env": "prod"}, "category": "Turbo"}]}
                """.utf8
            )
        )
        #expect(configuration.cloud == .otc)
        #expect(configuration.certificateThrottle == CallThrottle(limit: 10, window: .seconds(60)))
        #expect(configuration.listFaults == ["p": .hang])
        #expect(
            configuration.clusters == [
                SimulatedCluster(
                    projectID: "p",
                    clusterID: "c",
                    name: "prod",
                    phase: "Hibernation",
                    labels: ["env": "prod"],
                    category: .turbo
                )
            ]
        )
    }

    @Test func aClusterWithoutANameIsNamedAfterItsID() {
        #expect(SimulatedCluster(projectID: "p", clusterID: "c-1").name == "cluster-c-1")
    }

    @Test func configurationDescriptionsShowNoSecret() {
        let configuration = TestData.configuration
        let texts = [
            "\(configuration)", String(reflecting: configuration),
            "\(configuration.users)", "\(Array(configuration.temporaryAccessKeys.values))", "\(configuration.staticTokens)",
        ]
        for text in texts {
            for secret in TestData.secrets {
                #expect(!text.contains(secret), "\(text)")
            }
        }
        #expect("\(configuration)".contains(TestData.externalCluster))
    }

    @Test(arguments: [
        Fault.unauthorized, .forbidden, .notFound, .throttled(retryAfterSeconds: 9), .internalError, .serviceUnavailable,
        .invalidJSON, .truncatedBody, .oversizedBody(bytes: 5000), .wrongShape, .badBase64, .plainHTTPServer, .hang,
    ])
    func faultTextRoundTrips(fault: Fault) {
        #expect(Fault(fault.description) == fault)
    }

    @Test func faultTextHasDefaultsAndRefusesNonsense() {
        #expect(Fault("throttled") == .throttled(retryAfterSeconds: 1))
        #expect(Fault("oversized-body") == .oversizedBody(bytes: 2 << 20))
        for text in ["", "hang:3", "throttled:0", "throttled:-1", "throttled:x", "429", "Hang"] {
            #expect(Fault(text) == nil, "\(text)")
        }
    }
}
