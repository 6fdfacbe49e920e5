import ArgumentParser
import CCESimulator
import Foundation

/// `cce-simulator --config FILE [--directory DIR] [--fault CLUSTER=FAULT ...] [--latency-ms N]`: runs the
/// simulator until SIGINT or SIGTERM.
///
/// Prints one line per endpoint and nothing else, never a secret from the configuration.
@main
struct SimulatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cce-simulator",
        abstract: "A fake of Huawei Cloud's CCE and IAM APIs, with one mTLS API server per cluster, on loopback.",
        discussion: """
            Prints one line per endpoint, then runs until SIGINT or SIGTERM:
              api URL                      the CCE API
              iam URL                      IAM (password login)
              ca-file PATH                 the CA of both, for a client's ca_file
              api-server CLUSTER internal URL
              api-server CLUSTER external URL
            The configuration format and the faults are described in docs/simulator.md.
            """
    )

    @Option(help: "The JSON configuration file.")
    var config: String

    @Option(help: "Where to write ca.pem (created if needed). Default: a new temporary directory, removed at exit.")
    var directory: String?

    @Option(
        help: ArgumentHelp(
            "Start a cluster with a fault, overriding the file; repeatable.",
            discussion: "FAULT is one of unauthorized, forbidden, not-found, throttled[:SECONDS], internal-error, "
                + "service-unavailable, invalid-json, truncated-body, oversized-body[:BYTES], wrong-shape, "
                + "bad-base64, http-server, hang.",
            valueName: "cluster-id=fault"
        )
    )
    var fault: [String] = []

    @Option(name: .customLong("latency-ms"), help: "Delay every CCE and IAM answer by this many milliseconds, overriding the file.")
    var latencyMilliseconds: Int?

    func run() async throws {
        var configuration = try SimulatorConfiguration(contentsOf: URL(fileURLWithPath: config))
        for setting in fault {
            let parts = setting.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, let fault = Fault(String(parts[1])) else {
                throw ValidationError("--fault \(setting) is not CLUSTER_ID=FAULT with a known fault.")
            }
            guard let index = configuration.clusters.firstIndex(where: { $0.clusterID == parts[0] }) else {
                throw ValidationError("--fault \(setting) names a cluster the configuration does not have.")
            }
            configuration.clusters[index].fault = fault
        }

        if let latencyMilliseconds {
            guard latencyMilliseconds >= 0 else { throw ValidationError("--latency-ms must not be negative.") }
            configuration.responseLatency = .milliseconds(latencyMilliseconds)
        }

        let workDirectory = try directory.map { URL(fileURLWithPath: $0) } ?? Self.makeTemporaryDirectory()
        defer {
            if directory == nil {
                try? FileManager.default.removeItem(at: workDirectory)
            }
        }

        let simulator = try await CCESimulator.start(configuration, directory: workDirectory)
        var lines = ["api \(simulator.apiEndpoint.absoluteString)", "iam \(simulator.iamEndpoint.absoluteString)", "ca-file \(simulator.caFile.path)"]
        for cluster in configuration.clusters {
            guard let endpoints = simulator.apiServers[cluster.clusterID] else { continue }
            lines.append("api-server \(cluster.clusterID) internal \(endpoints.internal.absoluteString)")
            if let external = endpoints.external {
                lines.append("api-server \(cluster.clusterID) external \(external.absoluteString)")
            }
        }
        print(lines.joined(separator: "\n"))
        fflush(nil)

        await TerminationSignal.wait()
        await simulator.shutdown()
    }

    private static func makeTemporaryDirectory() throws -> URL {
        var template = Array("\(FileManager.default.temporaryDirectory.path)/cce-simulator-XXXXXX".utf8CString)
        guard let created = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw ValidationError("Cannot create a temporary directory (errno \(errno)); give --directory.")
        }
        return URL(fileURLWithPath: String(decoding: UnsafeRawBufferPointer(start: created, count: strlen(created)), as: UTF8.self))
    }
}
