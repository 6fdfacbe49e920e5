import CCESimulator
import Foundation
import Glibc
import Testing

/// `cce-kubeconfigd-credential`, the small exec plugin, as kubectl runs it: it answers from the
/// credential record, hands everything else to the full binary, never serves a certificate
/// fetched for another cluster than the watch list names, and leaves renewals to a running
/// service.
extension ExecModeTests {
    /// The plugin the build put beside the full binary, as the writer finds it.
    static func plugin(besides workspace: Workspace) -> String {
        URL(fileURLWithPath: workspace.executable).deletingLastPathComponent().appendingPathComponent("cce-kubeconfigd-credential").path
    }

    /// `<plugin> credential prod`, exactly as the kubeconfig's exec entry runs it.
    private func pluginCall(_ workspace: Workspace, plugin: String? = nil) async throws -> CommandResult {
        let runner = workspace.runner
        let executable = plugin ?? Self.plugin(besides: workspace)
        return try await offload { try runner.run(executable, ["credential", "prod"]) }
    }

    /// A copy of the plugin alone in a directory: no full binary beside it or in `../../bin`,
    /// so it can only answer from the record (and fails saying so when it must hand over).
    private func lonePlugin(_ workspace: Workspace) throws -> String {
        let directory = workspace.directory.file("lone/libexec/cce-kubeconfigd")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let copy = directory + "/cce-kubeconfigd-credential"
        try FileManager.default.copyItem(atPath: Self.plugin(besides: workspace), toPath: copy)
        return copy
    }

    private func certificate(in result: CommandResult) throws -> String {
        let answer = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        let status = try #require(answer["status"] as? [String: Any])
        return try #require(status["clientCertificateData"] as? String)
    }

    @Test func pluginAnswersFromTheRecordWhatTheFullBinaryAnswers() async throws {
        try await withSimulator { workspace, _, _ in
            let full = try await credential(workspace).requireSuccess()
            let lone = try await pluginCall(workspace, plugin: try lonePlugin(workspace))
            #expect(lone.status == 0, "\(lone.standardError)")
            #expect(lone.standardOutput == full.standardOutput)
            #expect(lone.standardError.isEmpty)
        }
    }

    @Test func pluginHandsAnExpiredCertificateToTheFullBinaryWhichFetches() async throws {
        try await withSimulator { workspace, simulator, paths in
            try await credential(workspace).requireSuccess()
            try storeExpiredPair(paths)
            let expired = try String(contentsOfFile: paths.certificate, encoding: .utf8)

            let lone = try await pluginCall(workspace, plugin: try lonePlugin(workspace))
            #expect(lone.status == 1)
            #expect(lone.errorLines.count == 1 && lone.errorLines[0].hasPrefix("error: cannot run "), "\(lone.standardError)")

            let result = try await pluginCall(workspace)
            #expect(result.status == 0, "\(result.standardError)")
            #expect(try certificate(in: result) != expired)
            #expect(simulator.requestCount(forCluster: Self.clusterID) == 2)
        }
    }

    @Test func aNameRePointedToAnotherClusterIsNotServedTheOldCertificate() async throws {
        try await withSimulator { workspace, simulator, paths in
            let old = try certificate(in: try await credential(workspace).requireSuccess())
            let config = try String(contentsOfFile: paths.config, encoding: .utf8)
            try Data(config.replacingOccurrences(of: Self.clusterID, with: Self.otherClusterID).utf8).write(
                to: URL(fileURLWithPath: paths.config)
            )

            let result = try await pluginCall(workspace)
            #expect(result.status == 0, "\(result.standardError)")
            #expect(try certificate(in: result) != old)
            #expect(simulator.requestCount(forCluster: Self.otherClusterID) == 1)
            #expect(simulator.requestCount(forCluster: Self.clusterID) == 1)
            #expect(
                try certificate(in: try await pluginCall(workspace, plugin: try lonePlugin(workspace))) == (try certificate(in: result))
            )
        }
    }

    /// The watch list reads the access key id from `EXEC_AK`; the user's shell now holds another
    /// key there, which may be another IAM user with other rights in the cluster.
    @Test func anAccessKeySwitchedInTheEnvironmentIsNotServedTheOldCertificate() async throws {
        try await withSimulator { workspace, simulator, _ in
            let old = try certificate(in: try await credential(workspace).requireSuccess())
            let switched = workspace.adding(environment: ["EXEC_AK": Self.otherAccessKey, "EXEC_SK": Self.otherSecretKey])
            let lone = try lonePlugin(workspace)
            #expect(try await pluginCall(switched, plugin: lone).status == 1)

            let result = try await pluginCall(switched)
            #expect(result.status == 0, "\(result.standardError)")
            #expect(try certificate(in: result) != old)
            #expect(simulator.requestCount(forCluster: Self.clusterID) == 2)
            #expect(try certificate(in: try await pluginCall(switched, plugin: lone)) == (try certificate(in: result)))
        }
    }

    /// A shell without the variable cannot tell which key the certificate was fetched with, so
    /// the stored one stands, as it does for the service's own environment.
    @Test func aShellWithoutTheKeyVariableIsServedTheStoredCertificateWithoutAFetch() async throws {
        try await withSimulator { workspace, simulator, _ in
            let stored = try certificate(in: try await credential(workspace).requireSuccess())
            let keyless = workspace.adding(environment: ["EXEC_AK": "", "EXEC_SK": ""])
            let result = try await pluginCall(keyless)
            #expect(result.status == 0, "\(result.standardError)")
            #expect(try certificate(in: result) == stored)
            #expect(simulator.requestCount(forCluster: Self.clusterID) == 1)
            #expect(try certificate(in: try await pluginCall(keyless, plugin: try lonePlugin(workspace))) == stored)
        }
    }

    @Test func aWatchListEditedWithoutRePointingTheNameFetchesNothingAndIsRecordedAgain() async throws {
        try await withSimulator { workspace, simulator, paths in
            let first = try await credential(workspace).requireSuccess()
            let config = try String(contentsOfFile: paths.config, encoding: .utf8)
            try Data((config + "# edited\n").utf8).write(to: URL(fileURLWithPath: paths.config))
            let lone = try lonePlugin(workspace)
            #expect(try await pluginCall(workspace, plugin: lone).status == 1)

            let result = try await pluginCall(workspace)
            #expect(result.status == 0, "\(result.standardError)")
            #expect(result.standardOutput == first.standardOutput)
            #expect(simulator.requestCount(forCluster: Self.clusterID) == 1)
            #expect(try await pluginCall(workspace, plugin: lone).standardOutput == first.standardOutput)
        }
    }

    /// The service runs and the certificate on disk is expired (replaced behind its back, so
    /// the service's own schedule would not renew it for days). `credential` runs without the
    /// access key in its environment, so it could not fetch for itself: the service renews.
    @Test func whileTheServiceRunsAnExpiredCertificateIsRenewedByTheServiceOnRequest() async throws {
        try await withSimulator { workspace, simulator, paths in
            let service = try workspace.runner.start(workspace.executable, ["run"])
            do {
                #expect(await eventually { FileManager.default.fileExists(atPath: paths.credentials + "/exec-credential.record") })
                #expect(
                    await eventually {
                        FileManager.default.fileExists(atPath: paths.home + "/.local/state/cce-kubeconfigd/renewal-requests")
                    }
                )
                #expect(simulator.requestCount(forCluster: Self.clusterID) == 1)
                try storeExpiredPair(paths)
                let expired = try String(contentsOfFile: paths.certificate, encoding: .utf8)

                let keyless = workspace.adding(environment: ["EXEC_AK": "", "EXEC_SK": ""])
                let result = try await pluginCall(keyless)
                #expect(result.status == 0, "\(result.standardError)")
                let renewed = try certificate(in: result)
                #expect(renewed != expired)
                #expect(renewed == (try String(contentsOfFile: paths.certificate, encoding: .utf8)))
                #expect(simulator.requestCount(forCluster: Self.clusterID) == 2)
            } catch {
                service.terminate()
                throw error
            }
            kill(service.processIdentifier, SIGTERM)
            let stopped = try await offload { try service.wait(timeout: .seconds(10)) }
            #expect(stopped.status == 0, "\(stopped.standardError)")
        }
    }
}

/// What the plugin loads at start: kubectl runs it for every process, and every library mapped
/// is start-up time. The C library and the Swift runtime, no Foundation of any kind.
struct ExecPluginLinkageTests {
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/readelf"), "readelf is not installed"))
    func thePluginLinksNoFoundation() throws {
        try Workspace.with { workspace in
            let result = try workspace.runner.run("/usr/bin/readelf", ["--dynamic", ExecModeTests.plugin(besides: workspace)])
            #expect(result.status == 0, "\(result.standardError)")
            let needed = result.standardOutput.split(separator: "\n").filter { $0.contains("(NEEDED)") }
            #expect(needed.contains { $0.contains("[libc.so") })
            #expect(!needed.contains { $0.contains("Foundation") || $0.contains("ICU") || $0.contains("dispatch") }, "\(needed)")
        }
    }
}
