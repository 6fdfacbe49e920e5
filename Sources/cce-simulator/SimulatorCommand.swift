import ArgumentParser
import CCESimulator
import Glibc

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `cce-simulator --config FILE [--directory DIR] [--fault CLUSTER=FAULT ...] [--list-fault PROJECT=FAULT ...]
/// [--latency-ms N] [--throttle N/SECONDS] [--cloud huaweicloud|otc] [--control] [--stop-at-end-of-input]`: runs the simulator
/// until SIGINT or SIGTERM (or the end of standard input).
///
/// Prints one line per endpoint and nothing else, never a secret from the configuration.
@main
struct SimulatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cce-simulator",
        abstract: "A fake of Huawei Cloud's CCE, IAM and STS APIs and ECS metadata, with one mTLS API server per cluster, on loopback.",
        discussion: """
            Prints one line per endpoint, then runs until SIGINT or SIGTERM:
              api URL                      the CCE API
              iam URL                      IAM (password and OpenID Connect login, projects, temporary keys)
              sts URL                      STS (AssumeAgency)
              ca-file PATH                 the CA of the three, for a client's ca_file
              metadata URL                 the ECS metadata service, when the configuration has one
              control URL                  with --control: the endpoint that adds and removes clusters
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

    @Option(
        name: .customLong("list-fault"),
        help: ArgumentHelp(
            "Start a project's ListClusters calls with a fault, overriding the file; repeatable.",
            discussion: "FAULT is any fault but bad-base64 and http-server.",
            valueName: "project-id=fault"
        )
    )
    var listFault: [String] = []

    @Option(name: .customLong("latency-ms"), help: "Delay every CCE and IAM answer by this many milliseconds, overriding the file.")
    var latencyMilliseconds: Int?

    @Option(
        help: ArgumentHelp(
            "Limit every user to N cluster-certificate calls per SECONDS, overriding the file.",
            valueName: "N/SECONDS"
        )
    )
    var throttle: String?

    @Option(help: "Answer in this cloud's variant of the API (huaweicloud or otc), overriding the file.")
    var cloud: String?

    @Flag(help: "Start the control endpoint (plain HTTP on 127.0.0.1) and print its URL; see docs/simulator.md.")
    var control = false

    @Flag(
        name: .customLong("stop-at-end-of-input"),
        help: "Also stop when standard input ends: a parent holding a pipe to it takes the simulator down with it, however the parent ends."
    )
    var stopAtEndOfInput = false

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

        for setting in listFault {
            let parts = setting.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, let fault = Fault(String(parts[1])), fault.appliesToListCalls else {
                throw ValidationError("--list-fault \(setting) is not PROJECT_ID=FAULT with a fault that applies to lists.")
            }
            configuration.listFaults[String(parts[0])] = fault
        }

        if let latencyMilliseconds {
            guard latencyMilliseconds >= 0 else { throw ValidationError("--latency-ms must not be negative.") }
            configuration.responseLatency = .milliseconds(latencyMilliseconds)
        }

        if let throttle {
            let parts = throttle.split(separator: "/")
            guard parts.count == 2, let limit = Int(parts[0]), let seconds = Int(parts[1]), limit > 0, seconds > 0 else {
                throw ValidationError("--throttle \(throttle) is not N/SECONDS with two positive numbers, e.g. 10/60.")
            }
            configuration.certificateThrottle = CallThrottle(limit: limit, window: .seconds(seconds))
        }
        if let cloud {
            guard let chosen = SimulatorConfiguration.Cloud(rawValue: cloud) else {
                throw ValidationError("--cloud \(cloud) is neither huaweicloud nor otc.")
            }
            configuration.cloud = chosen
        }

        let workDirectory = try directory.map { URL(fileURLWithPath: $0) } ?? Self.makeTemporaryDirectory()
        defer {
            if directory == nil {
                try? FileManager.default.removeItem(at: workDirectory)
            }
        }

        let simulator = try await CCESimulator.start(configuration, directory: workDirectory)
        var lines = [
            "api \(simulator.apiEndpoint.absoluteString)", "iam \(simulator.iamEndpoint.absoluteString)",
            "sts \(simulator.stsEndpoint.absoluteString)", "ca-file \(simulator.caFile.path)",
        ]
        if let metadata = simulator.metadataEndpoint {
            lines.append("metadata \(metadata.absoluteString)")
        }
        if control {
            lines.append("control \(try await simulator.startControlEndpoint().absoluteString)")
        }
        for cluster in configuration.clusters {
            guard let endpoints = simulator.apiServers[cluster.clusterID] else { continue }
            lines.append("api-server \(cluster.clusterID) internal \(endpoints.internal.absoluteString)")
            if let external = endpoints.external {
                lines.append("api-server \(cluster.clusterID) external \(external.absoluteString)")
            }
        }
        print(lines.joined(separator: "\n"))
        fflush(nil)

        await TerminationSignal.wait(orEndOfInput: stopAtEndOfInput)
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
