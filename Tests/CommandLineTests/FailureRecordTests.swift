import CCESimulator
import Foundation
import Glibc
import Kubeconfig
import Testing

/// The failure record every process shares, end to end: the exec plugin with a wrong secret key
/// and no service, and the service with a secret key file that appears while it runs; the real
/// binary against the CCE simulator in this process.
@Suite(.serialized) struct FailureRecordTests {
    static let project = "0123456789abcdef0123456789abcdef"
    static let clusterID = "4e7a9f1c-0000-11ee-8f3a-0255ac100b07"
    static let accessKey = "AKRECORDTEST00000001"
    static let secretKey = "SKrecord-test-secret-value"

    /// A simulator with one cluster, watched as `prod` by the default config, whose secret key is
    /// read from `<home>/sk` (written by the test, or not).
    struct World {
        let workspace: Workspace
        let simulator: RunningSimulator
        var secretKeyFile: String { workspace.directory.file("sk") }
        var stateDirectory: String { workspace.directory.file("state") }

        var requests: Int { simulator.requestCount(forCluster: FailureRecordTests.clusterID) }

        func writeSecretKey(_ key: String) throws {
            try Data((key + "\n").utf8).write(to: URL(fileURLWithPath: secretKeyFile))
            chmod(secretKeyFile, 0o600)
        }

        func credential() async throws -> CommandResult {
            let runner = workspace.runner
            let executable = workspace.executable
            return try await offload { try runner.run(executable, ["credential", "prod"]) }
        }

        /// `count` `credential prod` started at once, through xargs (which reaps them with a
        /// blocking wait); each one's standard error and exit status.
        func parallelCredentials(_ count: Int) async throws -> [(error: String, status: String)] {
            let outputs = workspace.directory.file("parallel")
            try FileManager.default.createDirectory(atPath: outputs, withIntermediateDirectories: false)
            let one = #""$0" credential prod >/dev/null 2>"$1/$2.err"; echo $? >"$1/$2.status""#
            let list = try workspace.directory.write(Array((0..<count).map(String.init).joined(separator: "\n").utf8), to: "calls")
            let runner = workspace.runner
            let executable = workspace.executable
            try await offload {
                try runner.run(
                    "/usr/bin/xargs",
                    ["-a", list, "-P", "\(count)", "-I", "{}", "/bin/sh", "-c", one, executable, outputs, "{}"]
                )
            }.requireSuccess()
            return try (0..<count).map { index in
                (
                    try String(contentsOfFile: "\(outputs)/\(index).err", encoding: .utf8),
                    try String(contentsOfFile: "\(outputs)/\(index).status", encoding: .utf8)
                )
            }
        }
    }

    func withWorld(credentialMode: String = "exec", _ body: (World) async throws -> Void) async throws {
        try await Workspace.with { plain in
            let workspace = plain.adding(environment: [
                "RECORD_AK": Self.accessKey,
                "XDG_CONFIG_HOME": plain.directory.file(".config"),
                "XDG_STATE_HOME": plain.directory.file("state"),
            ])
            let simulator = try await CCESimulator.start(
                SimulatorConfiguration(
                    accessKeys: [Self.accessKey: Self.secretKey],
                    clusters: [SimulatedCluster(projectID: Self.project, clusterID: Self.clusterID)]
                ),
                directory: URL(fileURLWithPath: workspace.directory.file("simulator"))
            )
            let world = World(workspace: workspace, simulator: simulator)
            do {
                let config = """
                    kubeconfig: \(workspace.kubeconfig)
                    credential_mode: \(credentialMode)
                    credentials:
                      default: {type: aksk, access_key_env: RECORD_AK, secret_key_file: \(world.secretKeyFile)}
                    defaults:
                      endpoint: \(simulator.apiEndpoint.absoluteString)
                      ca_file: \(simulator.caFile.path)
                    clusters:
                      - name: prod
                        project_id: \(Self.project)
                        cluster_id: \(Self.clusterID)

                    """
                let directory = workspace.directory.file(".config/cce-kubeconfigd")
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                try Data(config.utf8).write(to: URL(fileURLWithPath: directory + "/config.yaml"))
                try await body(world)
            } catch {
                await simulator.shutdown()
                throw error
            }
            await simulator.shutdown()
        }
    }

    @Test func twentyCallsInARowWithAWrongSecretKeySendAtMostThreeRequests() async throws {
        try await withWorld { world in
            try world.writeSecretKey("SKwrong-secret-value-000000")
            var last: CommandResult?
            for _ in 0..<20 {
                let result = try await world.credential()
                #expect(result.status == 1)
                last = result
            }
            #expect((1...3).contains(world.requests), "\(world.requests) signed requests")
            let message = try #require(last?.standardError)
            #expect(message.contains("was refused (HTTP 401)"), "\(message)")
            #expect(message.contains("no request of it goes before 20"), "the message says when: \(message)")
            #expect(!message.contains(Self.secretKey) && !message.contains("SKwrong"))
        }
    }

    @Test func tenParallelCallsWithAWrongSecretKeySendAtMostOneRequest() async throws {
        try await withWorld { world in
            try world.writeSecretKey("SKwrong-secret-value-000000")
            let results = try await world.parallelCredentials(10)
            #expect(results.allSatisfy { $0.status == "1\n" }, "\(results)")
            #expect(world.requests <= 1, "\(world.requests) signed requests")
        }
    }

    @Test func afterTheKeyIsFixedInTheFileTheNextCallFetches() async throws {
        try await withWorld { world in
            try world.writeSecretKey("SKwrong-secret-value-000000")
            _ = try await world.credential()
            let refused = try await world.credential()
            #expect(refused.status == 1 && refused.standardError.contains("no request of it goes before"), "\(refused.standardError)")
            let before = world.requests
            try world.writeSecretKey(Self.secretKey)
            let fixed = try await world.credential()
            #expect(fixed.status == 0, "\(fixed.standardError)")
            #expect(fixed.standardOutput.contains("\"kind\":\"ExecCredential\""))
            #expect(world.requests == before + 1)
        }
    }

    @Test func aSecretKeyFileCreatedWhileTheServiceRunsIsUsedAfterSIGUSR1WithinTenSeconds() async throws {
        try await withWorld(credentialMode: "embed") { world in
            var runner = world.workspace.runner
            runner.environment["NOTIFY_SOCKET"] = nil
            let daemon = try runner.start(world.workspace.executable, ["run"])
            let statePath = world.stateDirectory + "/cce-kubeconfigd/state.json"
            let notSent = await eventually(within: .seconds(60)) {
                (try? String(contentsOfFile: statePath, encoding: .utf8))?.contains("not sent: credential set") ?? false
            }
            #expect(notSent, "the state file says nothing was sent")
            #expect(world.requests == 0)

            try world.writeSecretKey(Self.secretKey)
            kill(daemon.processIdentifier, SIGUSR1)
            let renewed = await eventually(within: .seconds(10)) {
                guard let data = FileManager.default.contents(atPath: world.workspace.kubeconfig),
                    let file = try? KubeconfigFile(bytes: Array(data))
                else { return false }
                return file.managedWatchNames == ["prod"]
            }
            #expect(renewed, "renewed within 10 s of SIGUSR1")
            #expect(world.requests == 1)

            kill(daemon.processIdentifier, SIGTERM)
            let result = try await offload { try daemon.wait(timeout: .seconds(10)) }
            #expect(result.status == 0, "\(result.standardError)")
            #expect(!result.standardError.contains("credential set refused"), "the circuit never opened: \(result.standardError)")
            #expect(!result.output.contains(Self.secretKey))
        }
    }
}
