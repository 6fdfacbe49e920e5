import AsyncHTTPClient
import Dispatch
import NIOCore
import NIOHTTP1

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// Where the running simulator answers, as it printed them at start.
struct SimulatorEndpoints: Sendable {
    /// The CCE API.
    var api: String
    /// IAM, which answers the project lookups.
    var iam: String
    /// The CA of both, for the watch list's `ca_file`.
    var caFile: String
    /// The control endpoint: clusters are created and deleted there.
    var control: String
}

/// The `cce-simulator` executable as the demo's child process, driven through its control
/// endpoint (docs/simulator.md), so that `cce-kubeconfigd` itself carries no server code.
///
/// It stops with the demo on every path: ``stop()`` on success, on an error and on Ctrl-C (which
/// reaches the demo only: the simulator has a process group of its own, so it keeps answering
/// until the daemon has stopped); and when the demo is killed, the kernel closes the demo's end
/// of the simulator's standard input, which `--stop-at-end-of-input` makes it stop at.
final class DemoSimulator: Sendable {
    let endpoints: SimulatorEndpoints
    private let process: ChildProcess
    /// The demo's end of the simulator's standard input.
    private let lifeline: Int32
    /// The simulator's standard output, read until it printed its endpoints.
    private let output: Int32

    private init(endpoints: SimulatorEndpoints, process: ChildProcess, lifeline: Int32, output: Int32) {
        self.endpoints = endpoints
        self.process = process
        self.lifeline = lifeline
        self.output = output
    }

    /// Starts `executable` with `configuration` (a configuration file's JSON) in `directory`,
    /// where its CA and its log (standard error) go too, and waits for it to print its endpoints.
    ///
    /// - Throws: one sentence naming the simulator and the last line it logged, when it could
    ///   not start; it is not left running.
    static func start(executable: String, configuration: [UInt8], directory: String) async throws(CommandFailure) -> DemoSimulator {
        let configPath = directory + "/simulator.json"
        let logPath = directory + "/cce-simulator.log"
        guard mkdir(directory, 0o700) == 0,
            FileManager.default.createFile(atPath: configPath, contents: Data(configuration), attributes: [.posixPermissions: 0o600])
        else {
            throw CommandFailure("\(directory): cannot write the simulator's configuration (\(String(cString: strerror(errno))))")
        }
        let log = open(logPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard log >= 0 else {
            throw CommandFailure("\(logPath): cannot create the simulator's log (\(String(cString: strerror(errno))))")
        }
        defer { close(log) }
        let input = try ChildProcess.pipe()
        let output: (read: Int32, write: Int32)
        let process: ChildProcess
        do throws(CommandFailure) {
            output = try ChildProcess.pipe()
            defer { close(output.write) }
            process = try ChildProcess.spawn(
                executable,
                ["--config", configPath, "--directory", directory, "--control", "--stop-at-end-of-input"],
                environment: ProcessInfo.processInfo.environment,
                streams: .init(input: input.read, output: output.write, error: log),
                ownProcessGroup: true
            )
        } catch {
            close(input.read)
            close(input.write)
            throw error
        }
        close(input.read)

        let printed = await Self.offload { Self.readEndpoints(from: output.read) }
        guard let endpoints = printed else {
            close(input.write)
            close(output.read)
            let status = await Self.offload { process.waitForExit() }
            let logged = FileManager.default.contents(atPath: logPath).flatMap {
                String(decoding: $0, as: UTF8.self).split(whereSeparator: \.isNewline).last
            }
            throw CommandFailure("\(executable) exited (status \(status)) before it was ready: \(logged ?? "it logged nothing")")
        }
        return DemoSimulator(endpoints: endpoints, process: process, lifeline: input.write, output: output.read)
    }

    /// Creates `cluster` in the simulated console: `POST /clusters`.
    func create(_ cluster: ClusterEntry) async throws(CommandFailure) {
        try await control(.POST, "/clusters", body: DemoFleet.json(cluster), expecting: .created)
    }

    /// Deletes the cluster `id` in the simulated console: `DELETE /clusters/{id}`.
    func delete(clusterID id: String) async throws(CommandFailure) {
        try await control(.DELETE, "/clusters/\(id)", body: nil, expecting: .noContent)
    }

    /// Stops the simulator (SIGTERM, and its input closed), killing it if it has not exited
    /// within ten seconds, and waits for it.
    func stop() async {
        kill(process.processIdentifier, SIGTERM)
        close(lifeline)
        let process = process
        _ = await Self.offload {
            for _ in 0..<200 where !process.hasExited() {
                usleep(50_000)
            }
            guard !process.hasExited() else { return Int32(0) }
            kill(process.processIdentifier, SIGKILL)
            return process.waitForExit()
        }
        close(output)
    }

    private func control(_ method: HTTPMethod, _ path: String, body: [UInt8]?, expecting expected: HTTPResponseStatus)
        async throws(CommandFailure)
    {
        var request = HTTPClientRequest(url: endpoints.control + path)
        request.method = method
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let answer: (status: HTTPResponseStatus, body: String)
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
            answer = (response.status, String(buffer: try await response.body.collect(upTo: 64 * 1024)))
        } catch {
            throw CommandFailure(
                "the simulator's control endpoint \(endpoints.control) did not answer \(method.rawValue) \(path): \(error)"
            )
        }
        guard answer.status == expected else {
            throw CommandFailure("the simulator refused \(method.rawValue) \(path) (HTTP \(answer.status.code)): \(answer.body)")
        }
    }

    /// Reads the simulator's start-up lines (`api URL`, `iam URL`, `ca-file PATH`, `control URL`,
    /// then one per API server) until the four the demo needs are complete; `nil` at the end
    /// of output before that: the simulator has exited.
    private static func readEndpoints(from descriptor: Int32) -> SimulatorEndpoints? {
        var text = ""
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            var values: [String: String] = [:]
            let completeLines = text[..<(text.lastIndex(of: "\n") ?? text.startIndex)]
            for line in completeLines.split(separator: "\n") {
                let parts = line.split(separator: " ", maxSplits: 1)
                if parts.count == 2 { values[String(parts[0])] = String(parts[1]) }
            }
            if let api = values["api"], let iam = values["iam"], let caFile = values["ca-file"], let control = values["control"] {
                return SimulatorEndpoints(api: api, iam: iam, caFile: caFile, control: control)
            }
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return nil }
            text += String(decoding: buffer[..<count], as: UTF8.self)
        }
    }

    /// Runs blocking `work` (reading a pipe, waiting for a process) on a Dispatch thread, so that
    /// it holds none of the few threads the demo's tasks and the daemon's fetches run on.
    private static func offload<Result: Sendable>(_ work: @escaping @Sendable () -> Result) async -> Result {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: work()) }
        }
    }
}
