import CCESimulator
import Crypto
import Foundation
import Glibc
import Kubeconfig
import Testing
import X509

/// `credential_mode: exec` end to end: the real binary, the CCE simulator in this process on
/// loopback, and kubectl running `cce-kubeconfigd credential N` as its exec plugin.
@Suite(.serialized) struct ExecModeTests {
    static let project = "0123456789abcdef0123456789abcdef"
    static let clusterID = "4e7a9f1c-0000-11ee-8f3a-0255ac100b03"
    static let accessKey = "AKEXECTEST0000000001"
    static let secretKey = "SKexec-test-secret-value"
    /// A second key pair the simulator knows, for a shell that switched keys.
    static let otherAccessKey = "AKEXECTEST0000000002"
    static let otherSecretKey = "SKexec-test-other-secret"
    /// A second cluster in the same project, for a watch name pointed elsewhere.
    static let otherClusterID = "9b2d4c6e-0000-11ee-8f3a-0255ac100b03"

    /// The paths of one exec-mode world under the workspace's `HOME`.
    struct Paths {
        var home: String
        var config: String { home + "/.config/cce-kubeconfigd/config.yaml" }
        var credentials: String { home + "/.local/state/cce-kubeconfigd/credentials/prod" }
        var key: String { credentials + "/client.key" }
        var certificate: String { credentials + "/client.crt" }
        var kubeconfigDirectory: String { home + "/kube.d" }
    }

    /// Runs `body` with a simulator serving one cluster, watched as `prod` in exec mode by the
    /// default config (kubectl runs the plugin without `--config`).
    /// `latency` delays every CCE answer, so that parallel calls overlap the one fetch.
    func withSimulator(
        output: String = "merge",
        latency: Duration = .zero,
        _ body: (Workspace, RunningSimulator, Paths) async throws -> Void
    ) async throws {
        try await Workspace.with { plain in
            let paths = Paths(home: plain.directory.path)
            let workspace = plain.adding(environment: [
                "EXEC_AK": Self.accessKey, "EXEC_SK": Self.secretKey,
                "XDG_CONFIG_HOME": paths.home + "/.config", "XDG_STATE_HOME": paths.home + "/.local/state",
            ])
            let simulator = try await CCESimulator.start(
                SimulatorConfiguration(
                    accessKeys: [Self.accessKey: Self.secretKey, Self.otherAccessKey: Self.otherSecretKey],
                    clusters: [
                        SimulatedCluster(projectID: Self.project, clusterID: Self.clusterID, hasExternalEndpoint: true),
                        SimulatedCluster(projectID: Self.project, clusterID: Self.otherClusterID, hasExternalEndpoint: true, name: "other"),
                    ],
                    responseLatency: latency
                ),
                directory: URL(fileURLWithPath: workspace.directory.file("simulator"))
            )
            do {
                let config = """
                    kubeconfig: \(workspace.kubeconfig)
                    credential_mode: exec
                    output: \(output)
                    kubeconfig_dir: \(paths.kubeconfigDirectory)
                    credentials:
                      default: {type: aksk, access_key_env: EXEC_AK, secret_key_env: EXEC_SK}
                    defaults:
                      endpoint: \(simulator.apiEndpoint.absoluteString)
                      ca_file: \(simulator.caFile.path)
                      duration_days: 30
                    clusters:
                      - name: prod
                        project_id: \(Self.project)
                        cluster_id: \(Self.clusterID)

                    """
                try FileManager.default.createDirectory(atPath: paths.home + "/.config/cce-kubeconfigd", withIntermediateDirectories: true)
                try Data(config.utf8).write(to: URL(fileURLWithPath: paths.config))
                try await body(workspace, simulator, paths)
            } catch {
                await simulator.shutdown()
                throw error
            }
            await simulator.shutdown()
        }
    }

    /// `credential prod` plus `options`: its output holds the key by design, so it is not scanned for secrets.
    func credential(_ workspace: Workspace, _ options: String...) async throws -> CommandResult {
        let runner = workspace.runner
        let executable = workspace.executable
        return try await offload { try runner.run(executable, ["credential", "prod"] + options) }
    }

    /// Replaces the stored pair with a sound, expired one.
    func storeExpiredPair(_ paths: Paths) throws {
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName { CommonName("expired exec test") }
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: Certificate.PublicKey(key.publicKey),
            notValidBefore: Date() - 7_200,
            notValidAfter: Date() - 60,
            issuer: name,
            subject: name,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: Certificate.Extensions(),
            issuerPrivateKey: Certificate.PrivateKey(key)
        )
        try Data(key.pemRepresentation.utf8).write(to: URL(fileURLWithPath: paths.key))
        try Data(try certificate.serializeAsPEM().pemString.utf8).write(to: URL(fileURLWithPath: paths.certificate))
    }

    func mode(_ path: String) -> mode_t {
        var status = stat()
        return stat(path, &status) == 0 ? status.st_mode & 0o7777 : 0
    }

    @Test func firstCredentialCallFetchesAndWritesPrivateFilesAndAKeylessKubeconfig() async throws {
        try await withSimulator { workspace, simulator, paths in
            let result = try await credential(workspace)
            #expect(result.status == 0, "\(result.standardError)")
            let answer = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
            #expect(answer["kind"] as? String == "ExecCredential")
            let status = try #require(answer["status"] as? [String: Any])
            #expect(status["clientCertificateData"] as? String == (try String(contentsOfFile: paths.certificate, encoding: .utf8)))
            #expect(status["clientKeyData"] as? String == (try String(contentsOfFile: paths.key, encoding: .utf8)))
            #expect(simulator.requestCount(forCluster: Self.clusterID) == 1)

            #expect(mode(paths.credentials) == 0o700)
            #expect(mode(paths.home + "/.local/state/cce-kubeconfigd/credentials") == 0o700)
            #expect(mode(paths.key) == 0o600)
            #expect(mode(paths.certificate) == 0o600)
            let kubeconfig = try String(contentsOfFile: workspace.kubeconfig, encoding: .utf8)
            #expect(!kubeconfig.contains("client-key-data"))
            #expect(!kubeconfig.contains("client-certificate-data"))
            #expect(kubeconfig.contains("command: \(Self.plugin(besides: workspace))"))
        }
    }

    @Test(.enabled(if: Programs.hasKubectl))
    func kubectlReachesTheAPIServerOverMutualTLSThroughTheExecEntry() async throws {
        try await withSimulator { workspace, _, _ in
            try await credential(workspace).requireSuccess()
            for context in ["prod-internal", "prod-external"] {
                let version = try await offload {
                    try workspace.kubectl("--kubeconfig", workspace.kubeconfig, "--context", context, "get", "--raw", "/version")
                }
                #expect(version.status == 0, "\(context): \(version.standardError)")
                #expect(version.standardOutput.contains("\"gitVersion\""), "\(context)")
            }
        }
    }

    /// Whether `python3` can import the official `kubernetes` client (`pip install kubernetes`).
    static let pythonWithKubernetes: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        guard let python = path.split(separator: ":").map({ "\($0)/python3" }).first(where: FileManager.default.isExecutableFile(atPath:)),
            let result = try? CommandRunner(home: NSTemporaryDirectory()).run(python, ["-c", "import kubernetes"]),
            result.status == 0
        else { return nil }
        return python
    }()

    @Test(.enabled(if: pythonWithKubernetes != nil, "python3 without the kubernetes package"))
    func pythonKubernetesClientReachesTheAPIServerThroughTheExecEntry() async throws {
        let python = try #require(Self.pythonWithKubernetes)
        try await withSimulator { workspace, _, _ in
            try await credential(workspace).requireSuccess()
            let script = """
                import json, sys
                from kubernetes import client, config
                config.load_kube_config(config_file=sys.argv[1], context="prod-internal")
                api = client.ApiClient()
                # The simulated API server answers /version only (VersionApi asks for /version/).
                answer = api.rest_client.request("GET", api.configuration.host + "/version")
                print(json.loads(answer.read())["gitVersion"])
                """
            let runner = workspace.runner
            let kubeconfig = workspace.kubeconfig
            let result = try await offload { try runner.run(python, ["-c", script, kubeconfig]) }
            #expect(result.status == 0, "\(result.standardError)")
            #expect(result.standardOutput.hasPrefix("v1."), "\(result.standardOutput)")
        }
    }

    /// The serial number of the certificate in the credential files, as the simulator's API
    /// servers log it (lowercase hexadecimal).
    func storedSerial(_ paths: Paths) throws -> String {
        let certificate = try Certificate(pemEncoded: try String(contentsOfFile: paths.certificate, encoding: .utf8))
        return certificate.serialNumber.bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    /// `sync` (the same refresh core as the service) writes an exec-mode cluster's certificate
    /// to its credential files; a forced renewal replaces them and leaves the kubeconfig's bytes
    /// as they were, and kubectl's next request comes with the new certificate: the simulator's
    /// API server sees its serial.
    @Test(.enabled(if: Programs.hasKubectl))
    func aRenewalBySyncReachesKubectlWithoutAKubeconfigWrite() async throws {
        try await withSimulator { workspace, simulator, paths in
            func kubectlVersion() async throws {
                let version = try await offload {
                    try workspace.kubectl("--kubeconfig", workspace.kubeconfig, "--context", "prod-internal", "get", "--raw", "/version")
                }
                #expect(version.status == 0, "\(version.standardError)")
            }
            try await workspace.cce(["sync"]).requireSuccess()
            let kubeconfig = try FileSnapshot(workspace.kubeconfig)
            #expect(!(try String(contentsOfFile: workspace.kubeconfig, encoding: .utf8)).contains("client-key-data"))
            let first = try storedSerial(paths)
            try await kubectlVersion()
            #expect(simulator.lastClientCertificateSerial(forCluster: Self.clusterID) == first)

            try await workspace.cce(["sync", "--force"]).requireSuccess()
            #expect(simulator.requestCount(forCluster: Self.clusterID) == 2)
            let renewed = try storedSerial(paths)
            #expect(renewed != first)
            let untouched = try FileSnapshot(workspace.kubeconfig) == kubeconfig
            #expect(untouched)
            try await kubectlVersion()
            #expect(simulator.lastClientCertificateSerial(forCluster: Self.clusterID) == renewed)
        }
    }

    @Test(.enabled(if: Programs.hasKubectl))
    func renewalByThePluginLeavesTheKubeconfigUntouched() async throws {
        try await withSimulator { workspace, simulator, paths in
            try await credential(workspace).requireSuccess()
            let kubeconfig = try FileSnapshot(workspace.kubeconfig)
            try storeExpiredPair(paths)

            let version = try await offload {
                try workspace.kubectl("--kubeconfig", workspace.kubeconfig, "--context", "prod-internal", "get", "--raw", "/version")
            }
            #expect(version.status == 0, "\(version.standardError)")
            #expect(simulator.requestCount(forCluster: Self.clusterID) == 2)
            let untouched = try FileSnapshot(workspace.kubeconfig) == kubeconfig
            #expect(untouched)
        }
    }

    /// Ten `credential prod` started at once: each one's standard output, standard error and exit status.
    private func tenParallelCalls(_ workspace: Workspace) async throws -> [[String]] {
        // xargs starts the ten at once and reaps them with a blocking wait: Foundation's Process
        // notices the ends of children that exit together up to seconds late, and the test
        // process hands its children a blocked SIGCHLD, which a shell's `wait` never returns from.
        let outputs = workspace.directory.file("parallel")
        try FileManager.default.createDirectory(atPath: outputs, withIntermediateDirectories: false)
        let one = #""$0" credential prod >"$1/$2.out" 2>"$1/$2.err"; echo $? >"$1/$2.status""#
        let runner = workspace.runner
        let executable = workspace.executable
        let ten = Array((0..<10).map(String.init).joined(separator: "\n").utf8)
        let list = try workspace.directory.write(ten, to: "ten")
        try await offload {
            try runner.run("/usr/bin/xargs", ["-a", list, "-P", "10", "-I", "{}", "/bin/sh", "-c", one, executable, outputs, "{}"])
        }.requireSuccess()
        let results = try (0..<10).map { index in
            try ["out", "err", "status"].map { try String(contentsOfFile: "\(outputs)/\(index).\($0)", encoding: .utf8) }
        }
        return results
    }

    @Test func tenParallelCallsWithAnExpiredCertificateMakeOneFetch() async throws {
        // Half a second per answer: the ten start while the first one's request is in flight.
        try await withSimulator(latency: .milliseconds(500)) { workspace, simulator, paths in
            try await credential(workspace).requireSuccess()
            try storeExpiredPair(paths)
            let before = simulator.requestCount(forCluster: Self.clusterID)

            let results = try await tenParallelCalls(workspace)
            #expect(results.allSatisfy { $0[2] == "0\n" }, "\(results.map { $0[1] })")
            #expect(Set(results.map { $0[0] }).count == 1)
            #expect(results[0][0].contains("\"kind\":\"ExecCredential\""))
            #expect(simulator.requestCount(forCluster: Self.clusterID) == before + 1)
        }
    }

    @Test func tenParallelCallsShareTheFailureOfTheOneFetch() async throws {
        try await withSimulator(latency: .milliseconds(500)) { workspace, simulator, paths in
            try await credential(workspace).requireSuccess()
            try storeExpiredPair(paths)
            try simulator.setFault(.internalError, forCluster: Self.clusterID)
            let before = simulator.requestCount(forCluster: Self.clusterID)

            let results = try await tenParallelCalls(workspace)
            #expect(results.allSatisfy { $0[2] == "1\n" && $0[0].isEmpty })
            #expect(Set(results.map { $0[1] }).count == 1, "\(results.map { $0[1] })")
            #expect(results[0][1].hasPrefix("error: cluster \"prod\": "), "\(results[0][1])")
            #expect(simulator.requestCount(forCluster: Self.clusterID) == before + 1)
        }
    }

    @Test func noFetchWithAnExpiredCertificateFailsWithOneSentenceAndNoRequest() async throws {
        try await withSimulator { workspace, simulator, paths in
            try await credential(workspace).requireSuccess()
            try storeExpiredPair(paths)
            let before = simulator.requestCount(forCluster: Self.clusterID)

            let result = try await credential(workspace, "--no-fetch")
            #expect(result.status == 1)
            #expect(result.standardOutput.isEmpty)
            #expect(
                result.errorLines == [
                    "error: cluster \"prod\": no valid client certificate in \(paths.credentials); run `cce-kubeconfigd sync --cluster prod` or start the service (systemctl --user start cce-kubeconfigd)"
                ]
            )
            #expect(simulator.requestCount(forCluster: Self.clusterID) == before)
        }
    }

    /// Bad state on disk: what to do to each file, and the sentence `credential` answers with.
    enum BadState: String, CaseIterable, CustomTestStringConvertible {
        case truncatedKey, keyOfAnotherCertificate, directoryForTheCertificate

        var testDescription: String { rawValue }

        func apply(_ paths: Paths) throws {
            switch self {
            case .truncatedKey:
                let key = try Data(contentsOf: URL(fileURLWithPath: paths.key))
                try key.prefix(key.count / 2).write(to: URL(fileURLWithPath: paths.key))
            case .keyOfAnotherCertificate:
                try Data(P256.Signing.PrivateKey().pemRepresentation.utf8).write(to: URL(fileURLWithPath: paths.key))
            case .directoryForTheCertificate:
                try FileManager.default.removeItem(atPath: paths.certificate)
                try FileManager.default.createDirectory(atPath: paths.certificate, withIntermediateDirectories: false)
            }
        }

        func message(_ paths: Paths) -> String {
            switch self {
            case .truncatedKey:
                "\(paths.key) is not a PEM private key (truncated or damaged); remove its directory to have a new certificate fetched."
            case .keyOfAnotherCertificate:
                "the private key \(paths.key) does not belong to the certificate beside it; remove its directory to have a new certificate fetched."
            case .directoryForTheCertificate:
                "\(paths.certificate) is not a regular file or directory as expected; move it away to have a new certificate fetched."
            }
        }
    }

    @Test(arguments: BadState.allCases)
    func badStateIsOneSentenceExitOneAndNothingOverwritten(state: BadState) async throws {
        try await withSimulator { workspace, simulator, paths in
            try await credential(workspace).requireSuccess()
            try state.apply(paths)
            let key = try Data(contentsOf: URL(fileURLWithPath: paths.key))
            let before = simulator.requestCount(forCluster: Self.clusterID)

            let result = try await credential(workspace)
            #expect(result.status == 1)
            #expect(result.standardOutput.isEmpty)
            #expect(result.errorLines == ["error: cluster \"prod\": \(state.message(paths))"])
            #expect(try Data(contentsOf: URL(fileURLWithPath: paths.key)) == key)
            #expect(simulator.requestCount(forCluster: Self.clusterID) == before)
        }
    }

    @Test func listAndStatusSayTheModeAndTheExpiryFromTheCredentialFiles() async throws {
        try await withSimulator { workspace, _, paths in
            try await credential(workspace).requireSuccess()
            let list = try await workspace.cce(["list", "--kubeconfig", workspace.kubeconfig])
            #expect(list.status == 0, "\(list.standardError)")
            let rows = list.standardOutput.split(separator: "\n").filter { $0.hasPrefix("prod ") }
            #expect(rows.count == 2)
            #expect(rows.allSatisfy { $0.contains(" exec ") && !$0.contains("missing") }, "\(rows)")

            let status = try await workspace.cce(["status", "--config", paths.config])
            #expect(status.status == 0, "\(status.standardOutput)\(status.standardError)")
            #expect(status.standardOutput.split(separator: "\n").contains { $0.hasPrefix("prod ") && $0.contains(" exec ") })
        }
    }

    @Test(.enabled(if: Programs.hasKubectl))
    func filesModeWritesAKubeconfigPerClusterThatKubectlReadsAndUses() async throws {
        try await withSimulator(output: "files") { workspace, _, paths in
            try await credential(workspace).requireSuccess()
            let file = paths.kubeconfigDirectory + "/prod.yaml"
            #expect(mode(file) == 0o600)
            #expect(!FileManager.default.fileExists(atPath: workspace.kubeconfig))
            let view = try await offload {
                try workspace.kubectl("--kubeconfig", file, "config", "view", "-o", "jsonpath={.contexts[*].name}")
            }
            #expect(view.status == 0, "\(view.standardError)")
            #expect(view.standardOutput == "prod-external prod-internal")  // kubectl sorts by name
            // The file is the cluster's alone: it names a context, as CCE's own answer does.
            let alone = workspace.adding(environment: ["KUBECONFIG": file])
            let current = try await offload { try alone.kubectl("config", "current-context") }
            #expect(current.standardOutput == "prod-external\n", "\(current.standardError)")
            let version = try await offload { try alone.kubectl("get", "--raw", "/version") }
            #expect(version.status == 0, "\(version.standardError)")
        }
    }

    @Test func importInExecModeKeepsTheKeyOutOfTheKubeconfig() async throws {
        try await Workspace.with { plain in
            let workspace = plain.adding(environment: ["XDG_STATE_HOME": plain.directory.path + "/state"])
            let result = try await workspace.cce([
                "import", Fixtures.path(Fixtures.cceAnswer), "--name", "prod", "--kubeconfig", workspace.kubeconfig, "--credential-mode",
                "exec",
            ])
            #expect(result.status == 0, "\(result.standardError)")
            let kubeconfig = try String(contentsOfFile: workspace.kubeconfig, encoding: .utf8)
            #expect(!kubeconfig.contains("client-key-data"))
            #expect(mode(plain.directory.path + "/state/cce-kubeconfigd/credentials/prod/client.key") == 0o600)

            let back = try await workspace.cce([
                "import", Fixtures.path(Fixtures.cceAnswer), "--name", "prod", "--kubeconfig", workspace.kubeconfig,
            ])
            #expect(back.status == 0, "\(back.standardError)")
            #expect(try String(contentsOfFile: workspace.kubeconfig, encoding: .utf8).contains("client-key-data"))
            #expect(!FileManager.default.fileExists(atPath: plain.directory.path + "/state/cce-kubeconfigd/credentials/prod"))
        }
    }
}
