import CCESimulator
import Foundation
import Kubeconfig
import Testing

/// `sync` end to end: the real binary against the CCE simulator running in this process on
/// loopback, then kubectl over mTLS against the simulated API servers.
@Suite(.serialized) struct SyncTests {
    static let project = "0123456789abcdef0123456789abcdef"
    static let withEIP = "4e7a9f1c-0000-11ee-8f3a-0255ac100b03"
    static let internalOnly = "4e7a9f1c-0000-11ee-8f3a-0255ac100b04"

    /// The secrets every test's simulator knows; none may ever be printed.
    enum Secret {
        static let accessKey = "AKSYNCTEST0000000001"
        static let secretKey = "SKsync-test-secret-value"
        static let temporaryAccessKey = "AKSYNCTEMP0000000002"
        static let temporarySecretKey = "SKsync-temporary-secret"
        static let securityToken = "STsync-security-token-value"
        static let staticToken = "MIIsync-static-token-value"
        static let password = "sync-test-password"
        static let all = [secretKey, temporarySecretKey, securityToken, staticToken, password]
    }

    /// The four ways a watch list can authenticate, as `credentials:` YAML for a simulator.
    enum CredentialKind: String, CaseIterable, CustomTestStringConvertible {
        case accessKey, temporaryAccessKey, token, password

        var testDescription: String { rawValue }

        func yaml(workspace: Workspace, simulator: RunningSimulator) throws -> String {
            switch self {
            case .accessKey:
                return "    type: aksk\n    access_key_env: SYNC_AK\n    secret_key_env: SYNC_SK\n"
            case .temporaryAccessKey:
                let token = try workspace.directory.write(Array(Secret.securityToken.utf8), to: "security-token")
                return
                    "    type: aksk\n    access_key: \(Secret.temporaryAccessKey)\n    secret_key_env: SYNC_TEMP_SK\n    security_token_file: \(token)\n"
            case .token:
                let file = try workspace.directory.write(Array((Secret.staticToken + "\n").utf8), to: "token")
                return "    type: token\n    token_file: \(file)\n"
            case .password:
                return "    type: password\n    user: alice\n    domain: sync-account\n    password_env: SYNC_PASSWORD\n"
                    + "    iam_endpoint: \(simulator.iamEndpoint.absoluteString)\n    ca_file: \(simulator.caFile.path)\n"
            }
        }
    }

    private static let environment = [
        "SYNC_AK": Secret.accessKey, "SYNC_SK": Secret.secretKey,
        "SYNC_TEMP_SK": Secret.temporarySecretKey, "SYNC_PASSWORD": Secret.password,
    ]

    private static func configuration(clusters: [SimulatedCluster]) -> SimulatorConfiguration {
        SimulatorConfiguration(
            accessKeys: [Secret.accessKey: Secret.secretKey],
            temporaryAccessKeys: [
                Secret.temporaryAccessKey: TemporaryAccessKey(secretKey: Secret.temporarySecretKey, securityToken: Secret.securityToken)
            ],
            users: [IAMUser(domain: "sync-account", name: "alice", password: Secret.password)],
            staticTokens: [StaticToken(token: Secret.staticToken, projectID: project)],
            clusters: clusters
        )
    }

    /// Runs `body` with a simulator serving `clusters` and a watch list naming them `prod` and `dev`, in order.
    private func withSimulator(
        _ clusters: [SimulatedCluster] = [
            SimulatedCluster(projectID: project, clusterID: withEIP, hasExternalEndpoint: true),
            SimulatedCluster(projectID: project, clusterID: internalOnly),
        ],
        credentials: CredentialKind = .accessKey,
        _ body: (Workspace, RunningSimulator, String) async throws -> Void
    ) async throws {
        try await Workspace.with { plain in
            let workspace = plain.adding(environment: Self.environment)
            let simulator = try await CCESimulator.start(
                Self.configuration(clusters: clusters),
                directory: URL(fileURLWithPath: workspace.directory.file("simulator"))
            )
            do {
                let names = ["prod", "dev", "extra"]
                var config = "kubeconfig: \(workspace.kubeconfig)\ncredentials:\n  default:\n"
                config += try credentials.yaml(workspace: workspace, simulator: simulator)
                config +=
                    "defaults:\n  endpoint: \(simulator.apiEndpoint.absoluteString)\n  ca_file: \(simulator.caFile.path)\n  duration_days: 30\nclusters:\n"
                for (index, cluster) in clusters.enumerated() {
                    config += "  - name: \(names[index])\n    project_id: \(cluster.projectID)\n    cluster_id: \(cluster.clusterID)\n"
                }
                let path = try workspace.directory.write(Array(config.utf8), to: "config.yaml")
                try await body(workspace, simulator, path)
            } catch {
                await simulator.shutdown()
                throw error
            }
            await simulator.shutdown()
        }
    }

    private func sync(_ workspace: Workspace, _ config: String, _ options: String..., sourceLocation: SourceLocation = #_sourceLocation)
        async throws -> CommandResult
    {
        let result = try await workspace.cce(["sync", "--config", config] + options, sourceLocation: sourceLocation)
        for secret in Secret.all {
            #expect(!result.output.contains(secret), "sync printed a secret", sourceLocation: sourceLocation)
        }
        return result
    }

    /// The text of the entries of `watchName` in the kubeconfig: what must not change when its refresh fails.
    private func entries(of watchName: String, in path: String) throws -> [String] {
        let file = try KubeconfigFile(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: path))))
        return KubeconfigSection.allCases.flatMap { section in
            file.entries(section).filter { $0.owner?.watchName == watchName }.compactMap { entry in
                file.sourceText(of: entry).map { String(decoding: $0, as: UTF8.self) }
            }
        }
    }

    @Test(arguments: CredentialKind.allCases)
    func syncWritesContextsThatKubectlUsesOverMutualTLS(credentials: CredentialKind) async throws {
        try await withSimulator(credentials: credentials) { workspace, _, config in
            let result = try await sync(workspace, config)
            #expect(result.status == 0, "\(result.standardError)")
            #expect(result.standardOutput.contains("prod: ok, certificate valid until"))
            #expect(result.standardOutput.contains("dev: ok, certificate valid until"))
            guard Programs.hasKubectl else { return }
            for context in ["prod-internal", "prod-external", "dev-internal"] {
                let version = try await offload {
                    try workspace.kubectl("--kubeconfig", workspace.kubeconfig, "--context", context, "get", "--raw", "/version")
                }
                #expect(version.status == 0, "\(context): \(version.standardError)")
                #expect(version.standardOutput.contains("\"gitVersion\""), "\(context)")
            }
        }
    }

    @Test func secondSyncFetchesNothingAndLeavesTheFileAlone() async throws {
        try await withSimulator { workspace, simulator, config in
            try await sync(workspace, config).requireSuccess()
            let before = try FileSnapshot(workspace.kubeconfig)
            let requests = simulator.requestCount(forCluster: Self.withEIP)

            let again = try await sync(workspace, config)
            #expect(again.status == 0)
            #expect(again.standardOutput.contains("prod: skipped, fresh until"))
            #expect(simulator.requestCount(forCluster: Self.withEIP) == requests)
            let untouched = try FileSnapshot(workspace.kubeconfig) == before
            #expect(untouched)
        }
    }

    @Test(arguments: [
        Fault.unauthorized, .forbidden, .notFound, .throttled(retryAfterSeconds: 1), .internalError, .serviceUnavailable,
        .invalidJSON, .truncatedBody, .oversizedBody(bytes: 2 << 20), .wrongShape, .badBase64, .plainHTTPServer,
    ])
    func faultFailsOnlyItsClusterAndKeepsItsEntries(fault: Fault) async throws {
        try await withSimulator { workspace, simulator, config in
            try await sync(workspace, config).requireSuccess()
            let devBefore = try entries(of: "dev", in: workspace.kubeconfig)
            let prodBefore = try entries(of: "prod", in: workspace.kubeconfig)
            try simulator.setFault(fault, forCluster: Self.internalOnly)

            let result = try await sync(workspace, config, "--force")
            #expect(result.status == 1)
            let devLines = result.standardOutput.split(separator: "\n").filter { $0.hasPrefix("dev: ") }
            #expect(devLines.count == 1)
            #expect(devLines.first?.hasPrefix("dev: failed: ") == true, "\(devLines)")
            #expect(result.standardOutput.contains("prod: ok, certificate valid until"))
            let devKept = try entries(of: "dev", in: workspace.kubeconfig) == devBefore
            #expect(devKept)
            let prodRenewed = try entries(of: "prod", in: workspace.kubeconfig) != prodBefore
            #expect(prodRenewed)
        }
    }

    /// A pass waits for the pacer of a throttled credential set, but not forever: the cluster
    /// the gateway keeps refusing is asked three times, its `Retry-After` apart, then reported.
    @Test func clusterTheGatewayKeepsThrottlingIsAskedThreeTimesThenReported() async throws {
        try await withSimulator { workspace, simulator, config in
            try await sync(workspace, config).requireSuccess()
            let before = simulator.requestCount(forCluster: Self.internalOnly)
            try simulator.setFault(.throttled(retryAfterSeconds: 1), forCluster: Self.internalOnly)

            let result = try await sync(workspace, config, "--force")
            #expect(result.status == 1)
            #expect(simulator.requestCount(forCluster: Self.internalOnly) - before == 3)
            #expect(
                result.standardOutput.contains(
                    "dev: failed: cluster \"dev\": CCE is throttling requests; retry after 1s (HTTP 429; APIGW.0308"
                ),
                "\(result.standardOutput)"
            )
            #expect(result.standardOutput.contains("prod: ok, certificate valid until"))
            let notices = result.standardError.split(separator: "\n").filter { $0.contains("throttled by the API gateway") }
            // Once, with the limit the gateway stated; prod may or may not have been answered by then.
            #expect(notices.count == 1, "\(result.standardError)")
            #expect(
                notices.first?.hasPrefix(#"sync: credential set "default" is throttled by the API gateway (10 calls per 1m); "#) == true
            )
        }
    }

    @Test func hangingAnswerIsCutByTheRequestTimeout() async throws {
        try await withSimulator { workspace, simulator, config in
            try await sync(workspace, config).requireSuccess()
            try simulator.setFault(.hang, forCluster: Self.internalOnly)
            let text = try String(contentsOfFile: config, encoding: .utf8)
            try Data(("request_timeout: 2s\n" + text).utf8).write(to: URL(fileURLWithPath: config))

            let result = try await sync(workspace, config, "--force")
            #expect(result.status == 1)
            #expect(result.standardOutput.contains("dev: failed: cluster \"dev\": CCE did not answer within 2s"))
            #expect(result.standardOutput.contains("prod: ok, certificate valid until"))
        }
    }

    @Test func clusterThatLeftTheWatchListIsPruned() async throws {
        try await withSimulator { workspace, _, config in
            try await sync(workspace, config).requireSuccess()
            let text = try String(contentsOfFile: config, encoding: .utf8)
            let shorter = text.components(separatedBy: "  - name: dev\n").first ?? text
            try Data(shorter.utf8).write(to: URL(fileURLWithPath: config))

            let result = try await sync(workspace, config)
            #expect(result.status == 0, "\(result.standardError)")
            #expect(result.standardOutput.contains("dev: removed (no longer in the watch list)"))
            #expect(try entries(of: "dev", in: workspace.kubeconfig).isEmpty)
            #expect(try entries(of: "prod", in: workspace.kubeconfig).count == 5)
        }
    }

    @Test func dryRunPrintsARedactedDiffAndWritesNothing() async throws {
        try await withSimulator { workspace, _, config in
            let result = try await sync(workspace, config, "--dry-run")
            #expect(result.status == 0, "\(result.standardError)")
            #expect(result.standardOutput.contains("+    client-key-data: <redacted>"))
            #expect(!FileManager.default.fileExists(atPath: workspace.kubeconfig))
        }
    }
}
