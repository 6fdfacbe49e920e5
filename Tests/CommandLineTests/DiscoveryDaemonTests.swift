import CCESimulator
import Foundation
import Glibc
import Kubeconfig
import Testing

/// `run` with a `discover:` rule: the real binary as a service, its clusters only listed (no id
/// typed by hand), against the CCE simulator in this process, whose clusters are created,
/// deleted, hibernated and whose list calls fail while the service runs. Re-listings are asked
/// for with SIGUSR1, which lists the fleet before it renews anything; the discovery timer itself
/// is shown by ``DiscoveryIntervalTests``.
@Suite(.serialized) struct DiscoveryDaemonTests {
    static let project = "0123456789abcdef0123456789abcdef"
    static let region = "cn-north-4"
    static let accessKey = "AKDISCOVERYDAEMON001"
    static let secretKey = "SKdiscovery-daemon-secret"
    static let alphaID = "6b000000-0000-4000-8000-000000000001"
    static let betaID = "6b000000-0000-4000-8000-000000000002"

    /// One test's world: the simulator, the watch list, the notify socket, the state directory.
    struct Service {
        let workspace: Workspace
        let simulator: RunningSimulator
        let config: String
        let notify: NotifyListener

        /// A watch list that only discovers: a region, credentials, and the simulator's
        /// endpoint and CA. `request_timeout` (default 30s) bounds a hung list call, and every
        /// other request: under the load of the parallel tests the simulator has answered IAM
        /// only after 5 s.
        func writeConfig(interval: String = "10m", requestTimeout: String = "30s") throws {
            let text = """
                kubeconfig: \(workspace.kubeconfig)
                request_timeout: \(requestTimeout)
                credentials:
                  default: {type: aksk, access_key: \(DiscoveryDaemonTests.accessKey), secret_key_env: DISCOVERY_SK}
                clusters: []
                discover:
                  - regions: [\(DiscoveryDaemonTests.region)]
                    endpoint: \(simulator.apiEndpoint.absoluteString)
                    ca_file: \(simulator.caFile.path)
                    interval: \(interval)

                """
            try Data(text.utf8).write(to: URL(fileURLWithPath: config))
            chmod(config, 0o600)
        }

        /// `cce-kubeconfigd status --json` with this service's config and state directory.
        func statusJSON() async throws -> CommandResult {
            var runner = workspace.runner
            runner.environment["XDG_STATE_HOME"] = workspace.directory.file("state")
            let arguments = ["status", "--json", "--config", config]
            let executable = workspace.executable
            return try await offload { [runner] in try runner.run(executable, arguments) }
        }

        func start() throws -> RunningCommand {
            var runner = workspace.runner
            runner.environment.merge([
                "DISCOVERY_SK": DiscoveryDaemonTests.secretKey,
                "NOTIFY_SOCKET": notify.path,
                "XDG_STATE_HOME": workspace.directory.file("state"),
                // The SDK's override of the region's IAM endpoint: the simulator's, on loopback.
                "HUAWEICLOUD_SDK_REGION_IAM_CN_NORTH_4": simulator.iamEndpoint.absoluteString,
            ]) { $1 }
            return try runner.start(workspace.executable, ["run", "--config", config])
        }

        func managedWatchNames() -> [String] {
            guard let data = FileManager.default.contents(atPath: workspace.kubeconfig),
                let file = try? KubeconfigFile(bytes: Array(data))
            else { return [] }
            return file.managedWatchNames
        }

        func kubeconfigBytes() -> Data? {
            FileManager.default.contents(atPath: workspace.kubeconfig)
        }

        func contexts() -> [String] {
            guard let data = FileManager.default.contents(atPath: workspace.kubeconfig),
                let file = try? KubeconfigFile(bytes: Array(data))
            else { return [] }
            return file.entries(.contexts).map(\.name).sorted()
        }

        /// Runs the service around `body` and stops it with SIGTERM (see ``DiscoveryDaemonTests/stop(_:in:)``);
        /// kills it when `body` throws, so that a stopped test leaves no process behind.
        @discardableResult
        func running(_ body: (RunningCommand) async throws -> Void) async throws -> CommandResult {
            let daemon = try start()
            do {
                try await body(daemon)
            } catch {
                daemon.kill()
                _ = try? await offload { try daemon.wait(timeout: .seconds(10)) }
                throw error
            }
            return try await DiscoveryDaemonTests.stop(daemon, in: self)
        }

        var listRequests: Int { simulator.listRequestCount(forProject: DiscoveryDaemonTests.project) }

        /// Sends SIGUSR1 (list the fleet again, then renew everything it watches) and waits until
        /// the list call it asks for has arrived.
        func relist(_ daemon: RunningCommand) async {
            let before = listRequests
            kill(daemon.processIdentifier, SIGUSR1)
            #expect(await eventually(within: .seconds(60)) { listRequests > before }, "SIGUSR1 listed the clusters again")
        }
    }

    /// `clusters` (console name, id), all Available, the first with a public endpoint.
    static func withService(
        _ clusters: [(name: String, id: String)],
        _ body: (Service) async throws -> Void
    ) async throws {
        try await Workspace.with { workspace in
            let simulator = try await CCESimulator.start(
                SimulatorConfiguration(
                    accessKeys: [accessKey: secretKey],
                    projectNames: [project: region],
                    clusters: clusters.enumerated().map { index, cluster in
                        SimulatedCluster(projectID: project, clusterID: cluster.id, hasExternalEndpoint: index == 0, name: cluster.name)
                    }
                ),
                directory: URL(fileURLWithPath: workspace.directory.file("simulator"))
            )
            let notify = try NotifyListener(path: workspace.directory.file("notify.sock"))
            let service = Service(
                workspace: workspace,
                simulator: simulator,
                config: workspace.directory.file("config.yaml"),
                notify: notify
            )
            do {
                try await body(service)
            } catch {
                await simulator.shutdown()
                throw error
            }
            await simulator.shutdown()
        }
    }

    /// SIGTERM, then the checks every run ends with: exit 0, no secret printed, no lock left.
    @discardableResult
    static func stop(_ daemon: RunningCommand, in service: Service) async throws -> CommandResult {
        kill(daemon.processIdentifier, SIGTERM)
        let result = try await offload { try daemon.wait(timeout: .seconds(20)) }
        #expect(result.status == 0, "run did not exit 0: \(result.standardError)")
        #expect(!result.output.contains(secretKey))
        #expect(!FileManager.default.fileExists(atPath: service.workspace.kubeconfig + ".lock"))
        return result
    }

    @Test func aClusterDeletedInTheCloudIsPrunedAtTheNextListing() async throws {
        try await Self.withService([("alpha", Self.alphaID), ("beta", Self.betaID)]) { service in
            try service.writeConfig()
            let result = try await service.running { daemon in
                try #require(
                    await eventually(within: .seconds(60)) { service.managedWatchNames() == ["alpha", "beta"] },
                    "\(daemon.standardError)"
                )

                try await service.simulator.removeCluster(Self.betaID)
                await service.relist(daemon)
                #expect(await eventually(within: .seconds(60)) { service.managedWatchNames() == ["alpha"] })
                #expect(service.contexts() == ["alpha-external", "alpha-internal"])
            }
            #expect(result.standardError.contains("removed clusters no longer in the watch list"), "\(result.standardError)")
        }
    }

    /// 500, a list call that never answers (cut off by `request_timeout`), and 401: the cluster
    /// deleted meanwhile keeps its entries while the list fails, the failure is one sentence
    /// naming the project, the region and the cause on standard error and in `STATUS=`, and the
    /// first listing that answers again prunes it.
    @Test(arguments: [
        (Fault.internalError, "CCE failed (HTTP 500"),
        (.hang, "CCE did not answer within 10s"),
        (.unauthorized, "CCE did not accept credential set \"default\" (HTTP 401"),
    ])
    func aListingThatFailsPrunesNothingAndIsReported(fault: Fault, cause: String) async throws {
        try await Self.withService([("alpha", Self.alphaID), ("beta", Self.betaID)]) { service in
            try service.writeConfig(requestTimeout: "10s")
            let report = "cannot list the clusters of project \(Self.project) in region \(Self.region): \(cause)"
            let result = try await service.running { daemon in
                try #require(
                    await eventually(within: .seconds(60)) { service.managedWatchNames() == ["alpha", "beta"] },
                    "\(daemon.standardError)"
                )

                try await service.simulator.removeCluster(Self.betaID)
                try service.simulator.setListFault(fault, forProject: Self.project)
                let written = service.kubeconfigBytes()
                await service.relist(daemon)
                #expect(
                    await eventually(within: .seconds(60)) { unescaped(daemon.standardError).contains(report) },
                    "\(daemon.standardError)"
                )
                #expect(
                    await eventually(within: .seconds(20)) {
                        service.notify.messages().contains { $0.hasPrefix("STATUS=") && $0.contains(report) }
                    },
                    "\(service.notify.messages().filter { $0.hasPrefix("STATUS=") })"
                )
                // The state file carries it for `status`, written with STATUS=: degraded, with the sentence.
                var status = try await service.statusJSON()
                for _ in 0..<20 where !unescaped(status.standardOutput).contains(report) {
                    try await Task.sleep(for: .milliseconds(250))
                    status = try await service.statusJSON()
                }
                #expect(unescaped(status.standardOutput).contains(report), "\(status.standardOutput)")
                #expect(status.status == 1, "a listing failure makes the health degraded")
                // SIGUSR1 renews alpha after the failed listing; a prune would be in the same write.
                #expect(await eventually(within: .seconds(60)) { service.kubeconfigBytes() != written }, "alpha's renewal was written")
                #expect(service.managedWatchNames() == ["alpha", "beta"], "a failed listing pruned")

                try service.simulator.setListFault(nil, forProject: Self.project)
                await service.relist(daemon)
                #expect(await eventually(within: .seconds(60)) { service.managedWatchNames() == ["alpha"] })
                #expect(
                    await eventually(within: .seconds(20)) {
                        service.notify.messages().last { $0.hasPrefix("STATUS=") }.map { !$0.contains("cannot list") } ?? false
                    },
                    "STATUS= forgets the failure once a listing answers"
                )
            }
            let line = try #require(result.errorLines.first { unescaped($0).contains(report) }, "\(result.standardError)")
            #expect(line.contains("warning: fleet listing failed; nothing it could have shown is pruned"), "\(line)")
        }
    }

    /// A log line as read by a person: its values' quotes without the backslashes that escape them.
    private func unescaped(_ line: some StringProtocol) -> String {
        line.replacingOccurrences(of: "\\\"", with: "\"")
    }

    @Test func aHibernatedClusterKeepsItsEntriesAndIsNotFetched() async throws {
        try await Self.withService([("alpha", Self.alphaID), ("beta", Self.betaID)]) { service in
            try service.writeConfig()
            try await service.running { daemon in
                try #require(
                    await eventually(within: .seconds(60)) { service.managedWatchNames() == ["alpha", "beta"] },
                    "\(daemon.standardError)"
                )
                let betaContexts = service.contexts().filter { $0.hasPrefix("beta-") }

                try service.simulator.setPhase("Hibernation", forCluster: Self.betaID)
                let asked = (
                    alpha: service.simulator.requestCount(forCluster: Self.alphaID),
                    beta: service.simulator.requestCount(forCluster: Self.betaID)
                )
                let written = service.kubeconfigBytes()
                await service.relist(daemon)
                // SIGUSR1 renews every cluster the new listing watches: alpha is asked again, and
                // its certificate written (beta's would be in the same coalesced write).
                #expect(
                    await eventually(within: .seconds(60)) {
                        service.simulator.requestCount(forCluster: Self.alphaID) > asked.alpha && service.kubeconfigBytes() != written
                    }
                )
                #expect(
                    await eventually(within: .seconds(20)) {
                        service.notify.messages().last { $0.hasPrefix("STATUS=") }?.hasPrefix("STATUS=1 fresh") ?? false
                    },
                    "the renewal was published, and beta is no longer counted"
                )
                #expect(service.simulator.requestCount(forCluster: Self.betaID) == asked.beta, "the hibernated cluster was fetched")
                #expect(service.managedWatchNames() == ["alpha", "beta"])
                #expect(service.contexts().filter { $0.hasPrefix("beta-") } == betaContexts)
            }
        }
    }
}

/// The discovery timer, in a suite of its own: the test mostly waits for one interval, so it
/// runs beside the other daemon tests instead of after them.
@Suite struct DiscoveryIntervalTests {
    /// A cluster created while the service runs, with no signal sent: it is absent until the
    /// listing after it was created, and present within one interval (1m, the shortest allowed)
    /// and a generous slack for a loaded machine.
    @Test func aClusterCreatedWhileRunningAppearsWithinOneDiscoveryInterval() async throws {
        try await DiscoveryDaemonTests.withService([("alpha", DiscoveryDaemonTests.alphaID)]) { service in
            try service.writeConfig(interval: "1m")
            try await service.running { daemon in
                try #require(await eventually(within: .seconds(60)) { service.managedWatchNames() == ["alpha"] }, "\(daemon.standardError)")

                let listedBefore = service.listRequests
                try await service.simulator.addCluster(
                    SimulatedCluster(
                        projectID: DiscoveryDaemonTests.project,
                        clusterID: DiscoveryDaemonTests.betaID,
                        name: "beta"
                    )
                )
                // Each look reads the list count before the kubeconfig: beta seen with the count
                // unchanged would have been written without a listing.
                var seen: (names: [String], listed: Int) = ([], listedBefore)
                let deadline = ContinuousClock.now + .seconds(60 + 45)
                while ContinuousClock.now < deadline {
                    let listed = service.listRequests
                    seen = (service.managedWatchNames(), listed)
                    if seen.names.contains("beta") { break }
                    try await Task.sleep(for: .milliseconds(100))
                }
                #expect(seen.names == ["alpha", "beta"], "beta did not appear within one discovery interval and a slack")
                #expect(seen.listed > listedBefore, "beta appeared before the next listing")
                #expect(service.contexts() == ["alpha-external", "alpha-internal", "beta-internal"])
            }
        }
    }
}
