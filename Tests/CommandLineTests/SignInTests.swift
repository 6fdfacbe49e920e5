import CCESimulator
import Foundation
import Glibc
import Testing

/// The credential sets that obtain temporary keys, end to end: the real binary against the
/// simulator's IAM, STS, OIDC and metadata endpoints, three accounts (`ops` where the operator
/// lives, `prod` and `stage` reached through agencies), and kubectl on every context written.
@Suite(.serialized) struct SignInTests {
    static let opsAccount = "ops-account"
    static let prodAccount = "prod-account"
    static let stageAccount = "stage-account"
    static let opsProject = "0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a"
    static let prodProject = "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"
    static let stageProject = "0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c"
    static let opsCluster = "6a000000-0000-4000-8000-000000000001"
    static let prodCluster = "6b000000-0000-4000-8000-000000000001"
    static let stageCluster = "6c000000-0000-4000-8000-000000000001"

    enum Secret {
        static let accessKey = "AKSIGNINOPERATOR0001"
        static let secretKey = "SKsign-in-operator-secret-never-printed"
        static let all = [secretKey]
    }

    static let issuer = "https://ci.example.test"
    static let clientID = "cce-kubeconfigd"

    private static func configuration(signer: IDTokenSigner, keyLifetime: Duration?) -> SimulatorConfiguration {
        var configuration = SimulatorConfiguration(
            accessKeys: [Secret.accessKey: Secret.secretKey],
            projectNames: [opsProject: "cn-north-4", prodProject: "cn-north-4", stageProject: "cn-north-4"],
            clusters: [
                SimulatedCluster(projectID: opsProject, clusterID: opsCluster, name: "ops-tools"),
                SimulatedCluster(projectID: prodProject, clusterID: prodCluster, hasExternalEndpoint: true, name: "prod-web"),
                SimulatedCluster(projectID: stageProject, clusterID: stageCluster, name: "stage-web"),
            ]
        )
        configuration.accessKeyOwners = [Secret.accessKey: AccessKeyOwner(account: opsAccount, mayAssumeAgencies: true)]
        configuration.projectAccounts = [opsProject: opsAccount, prodProject: prodAccount, stageProject: stageAccount]
        configuration.agencies = [
            Agency(
                account: prodAccount,
                name: "cce-admin",
                trustedAccount: opsAccount,
                maximumSession: .seconds(43_200),
                mayAssumeAgencies: true
            ),
            Agency(account: stageAccount, name: "cce-admin", trustedAccount: prodAccount),
            Agency(account: prodAccount, name: "locked", trustedAccount: "another-account"),
            Agency(account: prodAccount, name: "ecs-agency", trustedAccount: "op_svc_ecs"),
        ]
        configuration.identityProviders = [
            IdentityProvider(id: "ci-provider", account: opsAccount, issuer: issuer, clientID: clientID, publicKeyPEM: signer.publicKeyPEM)
        ]
        configuration.metadata = MetadataService(agencyAccount: prodAccount, agencyName: "ecs-agency", keyLifetime: .seconds(900))
        configuration.temporaryKeyLifetime = keyLifetime
        return configuration
    }

    /// The ways in, each as `credentials:` YAML (the set used is `in`) and the cluster it reaches.
    enum Way: String, CaseIterable, CustomTestStringConvertible {
        case agency, stsAgency, agencyChain, metadata, oidc

        var testDescription: String { rawValue }

        var cluster: (name: String, project: String, id: String) {
            switch self {
            case .agency, .stsAgency, .metadata: ("prod", SignInTests.prodProject, SignInTests.prodCluster)
            case .agencyChain: ("stage", SignInTests.stageProject, SignInTests.stageCluster)
            case .oidc: ("ops", SignInTests.opsProject, SignInTests.opsCluster)
            }
        }

        func yaml(_ simulator: RunningSimulator, tokenFile: String) -> String {
            let me = "  me:\n    type: aksk\n    access_key_env: SIGNIN_AK\n    secret_key_env: SIGNIN_SK\n"
            let tls = "    ca_file: \(simulator.caFile.path)\n"
            let iam = "    iam_endpoint: \(simulator.iamEndpoint.absoluteString)\n" + tls
            let sts = "    api: sts\n    sts_endpoint: \(simulator.stsEndpoint.absoluteString)\n" + tls
            let prod =
                "  prod:\n    type: agency\n    source: me\n    agency_name: cce-admin\n    domain_name: \(SignInTests.prodAccount)\n" + iam
            switch self {
            case .agency:
                return me + prod
                    + "  in:\n    type: agency\n    source: me\n    agency_name: cce-admin\n    domain_name: \(SignInTests.prodAccount)\n"
                    + iam
            case .stsAgency:
                return me
                    + "  in:\n    type: agency\n    source: me\n    agency_name: cce-admin\n    domain_id: \(SimulatorConfiguration.accountID(of: SignInTests.prodAccount))\n    duration: 2h\n"
                    + sts
            case .agencyChain:
                return me + prod
                    + "  in:\n    type: agency\n    source: prod\n    agency_name: cce-admin\n    domain_id: \(SimulatorConfiguration.accountID(of: SignInTests.stageAccount))\n"
                    + sts
            case .metadata:
                return "  in:\n    type: metadata\n    endpoint: \(simulator.metadataEndpoint?.absoluteString ?? "")\n"
            case .oidc:
                return
                    "  in:\n    type: oidc\n    idp_id: ci-provider\n    id_token_file: \(tokenFile)\n    project_id: \(SignInTests.opsProject)\n"
                    + iam
            }
        }
    }

    /// Runs `body` with the simulator, an id token file, and a watch list from `credentials`
    /// YAML whose clusters (name, project, id) all use the set `in`.
    private func withSimulator(
        credentials: (RunningSimulator, String) -> String,
        clusters: [(name: String, project: String, id: String)],
        keyLifetime: Duration? = nil,
        _ body: (Workspace, RunningSimulator, String) async throws -> Void
    ) async throws {
        try await Workspace.with { plain in
            let workspace = plain.adding(environment: ["SIGNIN_AK": Secret.accessKey, "SIGNIN_SK": Secret.secretKey])
            let signer = IDTokenSigner()
            let simulator = try await CCESimulator.start(
                Self.configuration(signer: signer, keyLifetime: keyLifetime),
                directory: URL(fileURLWithPath: workspace.directory.file("simulator"))
            )
            do {
                let idToken = signer.sign(
                    issuer: Self.issuer,
                    audience: Self.clientID,
                    subject: "ci-job",
                    issuedAt: Date(),
                    expiresAt: Date().addingTimeInterval(3_600)
                )
                let tokenFile = try workspace.directory.write(idToken + "\n", to: "id-token")
                var config = "kubeconfig: \(workspace.kubeconfig)\ncredentials:\n" + credentials(simulator, tokenFile)
                config +=
                    "defaults:\n  credentials: in\n  endpoint: \(simulator.apiEndpoint.absoluteString)\n  ca_file: \(simulator.caFile.path)\nclusters:\n"
                for cluster in clusters {
                    config += "  - name: \(cluster.name)\n    project_id: \(cluster.project)\n    cluster_id: \(cluster.id)\n"
                }
                let path = try workspace.directory.write(config, to: "config.yaml")
                try await body(workspace, simulator, path)
            } catch {
                await simulator.shutdown()
                throw error
            }
            await simulator.shutdown()
        }
    }

    private func run(_ workspace: Workspace, _ arguments: String...) async throws -> CommandResult {
        let result = try await workspace.cce(arguments)
        for secret in Secret.all {
            #expect(!result.output.contains(secret), "cce-kubeconfigd printed a secret")
        }
        return result
    }

    @Test(arguments: Way.allCases)
    func syncWritesContextsThatKubectlUses(way: Way) async throws {
        try await withSimulator(credentials: { way.yaml($0, tokenFile: $1) }, clusters: [way.cluster]) { workspace, _, config in
            let result = try await run(workspace, "sync", "--config", config)
            #expect(result.status == 0, "\(result.output)")
            #expect(result.standardOutput.contains("\(way.cluster.name): ok, certificate valid until"), "\(result.output)")
            #expect(result.standardError.contains("obtained temporary credentials"), "\(result.standardError)")
            let idToken = try String(contentsOfFile: workspace.directory.file("id-token"), encoding: .utf8).trimmingCharacters(
                in: .newlines
            )
            #expect(!result.output.contains(idToken))
            guard Programs.hasKubectl else { return }
            let contexts = way.cluster.name == "prod" ? ["prod-internal", "prod-external"] : ["\(way.cluster.name)-internal"]
            for context in contexts {
                let version = try await offload {
                    try workspace.kubectl("--kubeconfig", workspace.kubeconfig, "--context", context, "get", "--raw", "/version")
                }
                #expect(version.status == 0, "\(context): \(version.standardError)")
            }
        }
    }

    @Test(arguments: [("locked", "the agency does not trust the caller's account"), ("no-such-agency", "no such agency in the account")])
    func agencyIAMRefusesIsOneSentenceNamingTheAgencyAndTheAccount(agency: String, reason: String) async throws {
        let credentials = { (simulator: RunningSimulator, _: String) in
            "  me:\n    type: aksk\n    access_key_env: SIGNIN_AK\n    secret_key_env: SIGNIN_SK\n"
                + "  in:\n    type: agency\n    source: me\n    agency_name: \(agency)\n    domain_name: \(Self.prodAccount)\n"
                + "    iam_endpoint: \(simulator.iamEndpoint.absoluteString)\n    ca_file: \(simulator.caFile.path)\n"
        }
        try await withSimulator(credentials: credentials, clusters: [Way.agency.cluster]) { workspace, _, config in
            let result = try await run(workspace, "sync", "--config", config)
            #expect(result.status == 1)
            let line = result.standardOutput.split(separator: "\n").first { $0.hasPrefix("prod: failed: ") }
            #expect(
                line?.hasPrefix(
                    #"prod: failed: cluster "prod": IAM refused credential set "in" the temporary keys of agency "\#(agency)" of account "prod-account" (HTTP 403; 403: Forbidden: "#
                ) == true,
                "\(result.output)"
            )
            #expect(line?.contains(reason) == true, "\(result.output)")
            #expect(!FileManager.default.fileExists(atPath: workspace.kubeconfig))
        }
    }

    @Test func oneIdentityReachesTwoAccountsThroughAChainWithDiscoveryInEach() async throws {
        let credentials = { (simulator: RunningSimulator, _: String) in
            Way.agencyChain.yaml(simulator, tokenFile: "").replacingOccurrences(of: "  in:\n", with: "  stage:\n")
        }
        try await withSimulator(credentials: credentials, clusters: []) { plain, simulator, config in
            let workspace = plain.adding(environment: [
                "HUAWEICLOUD_SDK_REGION_IAM_CN_NORTH_4": simulator.iamEndpoint.absoluteString,
                "HUAWEICLOUD_SDK_REGION_CCE_CN_NORTH_4": simulator.apiEndpoint.absoluteString,
            ])
            var text = try String(contentsOfFile: config, encoding: .utf8)
            text = text.replacingOccurrences(of: "  credentials: in\n", with: "") + "discover:\n"
            for account in ["prod", "stage"] {
                text +=
                    "  - regions: [cn-north-4]\n    credentials: \(account)\n    context_name: \"\(account)-{name}\"\n    ca_file: \(simulator.caFile.path)\n"
            }
            text = text.replacingOccurrences(of: "clusters:\n", with: "")
            try Data(text.utf8).write(to: URL(fileURLWithPath: config))
            let result = try await run(workspace, "sync", "--config", config)
            #expect(result.status == 0, "\(result.output)")
            #expect(result.standardOutput.contains("prod-prod-web: ok, certificate valid until"), "\(result.output)")
            #expect(result.standardOutput.contains("stage-stage-web: ok, certificate valid until"), "\(result.output)")
            #expect(!result.standardOutput.contains("ops-tools"), "the operator's own account is not listed through an agency")
            guard Programs.hasKubectl else { return }
            for context in ["prod-prod-web-internal", "stage-stage-web-internal"] {
                let version = try await offload {
                    try workspace.kubectl("--kubeconfig", workspace.kubeconfig, "--context", context, "get", "--raw", "/version")
                }
                #expect(version.status == 0, "\(context): \(version.standardError)")
            }
        }
    }

    /// The simulator's keys live 310 s, so the service renews them 300 s before they expire, 10 s
    /// after each exchange; SIGUSR1 makes it fetch (and so use the keys) until two renewals are logged.
    @Test func runRenewsShortLivedKeysBeforeTheyExpireAndLogsEachRenewal() async throws {
        try await withSimulator(
            credentials: { Way.agency.yaml($0, tokenFile: $1) },
            clusters: [Way.agency.cluster],
            keyLifetime: .seconds(310)
        ) { workspace, _, config in
            var runner = workspace.runner
            runner.environment["XDG_STATE_HOME"] = workspace.directory.file("state")
            let daemon = try runner.start(workspace.executable, ["run", "--config", config])
            let renewals = { daemon.standardError.components(separatedBy: "renewed temporary credentials before they expire").count - 1 }
            // Signals only once the service handles them: its first certificate is written.
            let started = await eventually(within: .seconds(60)) { FileManager.default.fileExists(atPath: workspace.kubeconfig) }
            var renewed = false
            for _ in 0..<60 where started && !renewed {
                kill(daemon.processIdentifier, SIGUSR1)
                renewed = await eventually(within: .seconds(2)) { renewals() >= 2 }
            }
            kill(daemon.processIdentifier, SIGTERM)
            let result = try await offload { try daemon.wait(timeout: .seconds(20)) }
            #expect(started && renewed, "\(result.standardError)")
            #expect(result.status == 0, "\(result.standardError)")
            #expect(!result.standardError.contains("failed"), "\(result.standardError)")
            #expect(!result.standardError.contains("refused"), "\(result.standardError)")
            for secret in Secret.all {
                #expect(!result.output.contains(secret))
            }
            guard Programs.hasKubectl else { return }
            let version = try await offload {
                try workspace.kubectl("--kubeconfig", workspace.kubeconfig, "--context", "prod-external", "get", "--raw", "/version")
            }
            #expect(version.status == 0, "\(version.standardError)")
        }
    }

    @Test func loopOfAgenciesIsACheckConfigErrorAtItsPlace() async throws {
        try await Workspace.with { workspace in
            let config = try workspace.directory.write(
                """
                credentials:
                  a:
                    type: agency
                    source: b
                    agency_name: x
                    domain_name: acct-a
                  b:
                    type: agency
                    source: a
                    agency_name: y
                    domain_name: acct-b
                clusters: []

                """,
                to: "config.yaml"
            )
            let result = try await workspace.cce(["check-config", "--config", config])
            #expect(result.status != 0)
            #expect(
                result.standardError.contains(#"\#(config):4:13: credential sets "a" → "b" → "a" form a loop of agencies"#),
                "\(result.output)"
            )
        }
    }
}
