import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL
import Testing

/// The `cce-simulator` executable: its lines, its endpoints, its exit on SIGTERM, and no secret
/// in its output.
@Suite struct ExecutableTests {
    private static let configuration = """
        {
          "access_keys": [{"access_key": "\(TestData.accessKey)", "secret_key": "\(TestData.secretKey)"}],
          "users": [{"domain": "\(TestData.domain)", "name": "\(TestData.user)", "password": "\(TestData.password)"}],
          "static_tokens": [{"token": "\(TestData.staticToken)"}],
          "projects": [{"id": "\(TestData.project)", "name": "cn-north-4"}],
          "clusters": [
            {"project_id": "\(TestData.project)", "cluster_id": "\(TestData.externalCluster)", "external_endpoint": true},
            {"project_id": "\(TestData.project)", "cluster_id": "\(TestData.internalCluster)"}
          ]
        }
        """

    @Test func printsItsEndpointsServesThemAndExitsCleanlyOnSIGTERM() async throws {
        try await TemporaryDirectory.with { directory in
            let configFile = try directory.write(Self.configuration, to: "simulator.json")
            let child = try CommandRunner(home: directory.path).start(
                try Programs.cceSimulator(),
                ["--config", configFile, "--fault", "\(TestData.internalCluster)=throttled:4"]
            )
            try await child.waitForOutput { $0.split(separator: "\n").count >= 7 }
            let lines = child.standardOutput.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
            #expect(lines.map { $0[0] } == ["api", "iam", "sts", "ca-file", "api-server", "api-server", "api-server"])
            #expect(
                lines[4...].map { [$0[1], $0[2]] } == [
                    [TestData.externalCluster, "internal"], [TestData.externalCluster, "external"], [TestData.internalCluster, "internal"],
                ]
            )
            #expect(lines[4][3].hasPrefix("https://127.0.0.1:") && lines[5][3].hasPrefix("https://127.0.0.2:"))
            #expect(lines[2][1].hasPrefix("https://127.0.0.1:"))
            let caFile = lines[3][1]
            #expect(FileManager.default.fileExists(atPath: caFile))

            try await Self.checkServes(api: lines[0][1], caFile: caFile)

            child.terminate()
            let result = try await offload { try child.wait(timeout: .seconds(20)) }
            #expect(result.status == 0)
            #expect(!FileManager.default.fileExists(atPath: URL(fileURLWithPath: caFile).deletingLastPathComponent().path))
            for secret in TestData.secrets {
                #expect(!result.output.contains(secret))
            }
        }
    }

    /// The child's standard input is /dev/null, which ends at once: with the flag the simulator
    /// prints its endpoints and stops, as it does when the demo holding its input dies.
    @Test func stopAtEndOfInputStopsItWhenItsInputEnds() async throws {
        try await TemporaryDirectory.with { directory in
            let configFile = try directory.write(Self.configuration, to: "simulator.json")
            let child = try CommandRunner(home: directory.path).start(
                try Programs.cceSimulator(),
                ["--config", configFile, "--stop-at-end-of-input"]
            )
            let result = try await offload { try child.wait(timeout: .seconds(30)) }

            #expect(result.status == 0, "\(result.standardError)")
            #expect(result.standardOutput.hasPrefix("api https://127.0.0.1:"))
        }
    }

    @Test func controlEndpointThrottleAndCloudAreSetOnTheCommandLine() async throws {
        try await TemporaryDirectory.with { directory in
            let configFile = try directory.write(Self.configuration, to: "simulator.json")
            let child = try CommandRunner(home: directory.path).start(
                try Programs.cceSimulator(),
                [
                    "--config", configFile, "--control", "--cloud", "otc", "--throttle", "1/60", "--list-fault",
                    "\(TestData.otherProject)=internal-error",
                ]
            )
            try await child.waitForOutput { $0.split(separator: "\n").count >= 8 }
            let lines = child.standardOutput.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
            #expect(lines.map { $0[0] } == ["api", "iam", "sts", "ca-file", "control", "api-server", "api-server", "api-server"])
            let (api, caFile, control) = (lines[0][1], lines[3][1], lines[4][1])
            #expect(control.hasPrefix("http://127.0.0.1:"))

            var tls = TLSConfiguration.makeClientConfiguration()
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caFile))
            let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: .init(tlsConfiguration: tls))
            defer { _ = client.shutdown() }
            func send(_ method: HTTPMethod, _ url: String, _ body: String? = nil) async throws -> (status: HTTPResponseStatus, body: String)
            {
                var request = HTTPClientRequest(url: url)
                request.method = method
                request.headers.add(name: "X-Auth-Token", value: TestData.staticToken)
                request.headers.add(name: "Content-Type", value: "application/json")
                if let body {
                    request.body = .bytes(ByteBuffer(string: body))
                }
                let response = try await client.execute(request, timeout: .seconds(120))
                return (response.status, String(buffer: try await response.body.collect(upTo: 1 << 20)))
            }

            let added = "5a000000-0000-4000-8000-0000000000cc"
            let created = try await send(
                .POST,
                control + "/clusters",
                #"{"project_id": "\#(TestData.project)", "cluster_id": "\#(added)", "name": "fresh"}"#
            )
            #expect(created.status == .created, "\(created.body)")
            let list = try await send(.GET, api + "/api/v3/projects/\(TestData.project)/clusters")
            #expect(list.status == .ok)
            #expect(list.body.contains(#""name":"fresh","uid":"\#(added)""#), "\(list.body)")
            #expect(list.body.contains(#""endpoints":{"internal":"https://127.0.0.1:"#), "\(list.body)")
            #expect(try await send(.GET, api + "/api/v3/projects/\(TestData.otherProject)/clusters").status == .internalServerError)

            let body = #"{"duration": 1}"#
            #expect(try await send(.POST, api + SimulatorHarness.certPath(added), body).status == .ok)
            #expect(try await send(.POST, api + SimulatorHarness.certPath(TestData.internalCluster), body).status == .tooManyRequests)
            #expect(try await send(.GET, control + "/counters").body.contains(#""throttled":1"#))

            child.terminate()
            let result = try await offload { try child.wait(timeout: .seconds(20)) }
            #expect(result.status == 0)
        }
    }

    @Test func unreadableConfigurationFailsWithItsPlace() async throws {
        try await TemporaryDirectory.with { directory in
            let configFile = try directory.write(
                #"{"users": [{"domain": "d", "name": "n", "password": "\#(TestData.password)", "mfa": true}]}"#,
                to: "simulator.json"
            )
            let simulator = try Programs.cceSimulator()
            let result = try await offload { try CommandRunner(home: directory.path).run(simulator, ["--config", configFile]) }
            #expect(result.status != 0)
            #expect(result.standardError.contains("users[0]: unknown key \"mfa\""), "\(result.standardError)")
            #expect(!result.output.contains(TestData.password))
        }
    }

    /// A certificate for the throttled cluster is refused, and one for the other is issued,
    /// through the CA file the process wrote.
    private static func checkServes(api: String, caFile: String) async throws {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caFile))
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: .init(tlsConfiguration: tls))
        defer { _ = client.shutdown() }
        func post(_ clusterID: String) async throws -> HTTPClientResponse {
            var request = HTTPClientRequest(url: api + SimulatorHarness.certPath(clusterID))
            request.method = .POST
            request.headers.add(name: "X-Auth-Token", value: TestData.staticToken)
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: #"{"duration": 1}"#))
            let response = try await client.execute(request, timeout: .seconds(120))
            _ = try await response.body.collect(upTo: 1 << 20)
            return response
        }
        let throttled = try await post(TestData.internalCluster)
        #expect(throttled.status == .tooManyRequests)
        #expect(throttled.headers.first(name: "Retry-After") == "4")
        #expect(try await post(TestData.externalCluster).status == .ok)
    }
}
