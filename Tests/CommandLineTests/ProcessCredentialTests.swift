import CCESimulator
import Foundation
import Testing

/// `type: process` end to end: the real binary runs a credential helper (a script the test
/// writes) and fetches from the CCE simulator with what it printed; a helper that fails is one
/// sentence per cluster naming the set, nothing is written and the set is not paused.
@Suite(.serialized) struct ProcessCredentialTests {
    static let project = "0123456789abcdef0123456789abcdef"
    static let clusters = ["4e7a9f1c-0000-11ee-8f3a-0255ac100b03", "4e7a9f1c-0000-11ee-8f3a-0255ac100b04"]

    enum Secret {
        static let accessKey = "AKPROCESSTEMP0000001"
        static let secretKey = "SKprocess-temporary-secret"
        static let securityToken = "STprocess-security-token-value"
        static let all = [secretKey, securityToken]
    }

    /// Runs `body` with a simulator that knows the helper's temporary key, and a watch list of
    /// two clusters using `type: process` with the script `helper` (after `#!/bin/sh`).
    private func withHelper(_ helper: String, timeout: String = "30s", _ body: (Workspace, RunningSimulator, String) async throws -> Void)
        async throws
    {
        try await Workspace.with { workspace in
            let simulator = try await CCESimulator.start(
                SimulatorConfiguration(
                    temporaryAccessKeys: [
                        Secret.accessKey: TemporaryAccessKey(secretKey: Secret.secretKey, securityToken: Secret.securityToken)
                    ],
                    clusters: Self.clusters.enumerated().map {
                        SimulatedCluster(projectID: Self.project, clusterID: $1, hasExternalEndpoint: $0 == 0)
                    }
                ),
                directory: URL(fileURLWithPath: workspace.directory.file("simulator"))
            )
            do {
                let script = try workspace.directory.writeProgram(helper, to: "bin/sso-helper")
                var config = "kubeconfig: \(workspace.kubeconfig)\ncredentials:\n  sso:\n    type: process\n"
                config += "    command: [\(script), --account, prod]\n    timeout: \(timeout)\n"
                config += "defaults:\n  endpoint: \(simulator.apiEndpoint.absoluteString)\n  ca_file: \(simulator.caFile.path)\nclusters:\n"
                for (index, cluster) in Self.clusters.enumerated() {
                    config += "  - name: \(["prod", "dev"][index])\n    project_id: \(Self.project)\n    cluster_id: \(cluster)\n"
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

    private static let printsKeys = """
        echo run >> "$(dirname "$0")/runs"
        echo "signing in as $2" >&2
        printf '{"access":"%s","secret":"%s","securitytoken":"%s","expires_at":"%s"}' \
          \(Secret.accessKey) \(Secret.secretKey) \(Secret.securityToken) "$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M:%SZ)"
        """

    private func sync(_ workspace: Workspace, _ config: String) async throws -> CommandResult {
        let result = try await workspace.cce(["sync", "--config", config])
        for secret in Secret.all {
            #expect(!result.output.contains(secret), "sync printed a secret")
        }
        return result
    }

    @Test func syncFetchesWithTheKeysTheHelperPrintsAndRunsItOnce() async throws {
        try await withHelper(Self.printsKeys) { workspace, _, config in
            let result = try await sync(workspace, config)
            #expect(result.status == 0, "\(result.output)")
            #expect(result.standardOutput.contains("prod: ok, certificate valid until"))
            #expect(result.standardOutput.contains("dev: ok, certificate valid until"))
            let runs = try String(contentsOfFile: workspace.directory.file("bin/runs"), encoding: .utf8)
            #expect(runs == "run\n", "one exchange serves both clusters")
            #expect(result.standardError.contains("signing in as prod"), "the helper's standard error goes to the log")
            #expect(!result.standardError.contains("\"access\""))
            guard Programs.hasKubectl else { return }
            for context in ["prod-internal", "prod-external", "dev-internal"] {
                let version = try await offload {
                    try workspace.kubectl("--kubeconfig", workspace.kubeconfig, "--context", context, "get", "--raw", "/version")
                }
                #expect(version.status == 0, "\(context): \(version.standardError)")
            }
        }
    }

    @Test(arguments: [
        ("exit 3", "exited with status 3"),
        ("echo '\(Secret.secretKey) is not json'", "printed something that is not a JSON object"),
        ("true", "printed nothing"),
        ("sleep 60", "did not finish within 1s and was stopped"),
    ])
    func failingHelperIsOneSentencePerClusterAndNothingIsWritten(helper: String, sentence: String) async throws {
        try await withHelper(helper, timeout: "1s") { workspace, simulator, config in
            let result = try await sync(workspace, config)
            #expect(result.status == 1)
            let script = workspace.directory.file("bin/sso-helper")
            for name in ["prod", "dev"] {
                let line = result.standardOutput.split(separator: "\n").first { $0.hasPrefix("\(name): failed: ") }
                #expect(
                    line?.contains(#"cluster "\#(name)": credential set "sso": the command \#(script) \#(sentence)"#) == true,
                    "\(result.output)"
                )
            }
            #expect(!result.output.contains("was refused"), "a local failure must not open the credential set's breaker")
            #expect(!FileManager.default.fileExists(atPath: workspace.kubeconfig))
            #expect(simulator.requestCount(forCluster: Self.clusters[0]) == 0)
        }
    }
}
