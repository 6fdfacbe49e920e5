import CCESimulator
import Dispatch
import Foundation
import Glibc
import Kubeconfig
import Synchronization
import Testing

/// `run` end to end: the real binary as a service against the CCE simulator in this process,
/// driven with signals, checked through the kubeconfig, the notify socket and the simulator's counters.
@Suite(.serialized) struct DaemonTests {
    static let project = "0123456789abcdef0123456789abcdef"
    static let prodID = "4e7a9f1c-0000-11ee-8f3a-0255ac100b03"
    static let devID = "4e7a9f1c-0000-11ee-8f3a-0255ac100b04"
    static let stageID = "4e7a9f1c-0000-11ee-8f3a-0255ac100b05"
    static let accessKey = "AKDAEMONTEST00000001"
    static let secretKey = "SKdaemon-test-secret"

    /// One test's world: simulator, watch list, notify socket, state directory.
    struct Service {
        let workspace: Workspace
        let simulator: RunningSimulator
        let config: String
        let notify: NotifyListener

        func writeConfig(_ names: [(String, String)], extra: String = "") throws {
            var text = "kubeconfig: \(workspace.kubeconfig)\n\(extra)credentials:\n  default:\n    type: aksk\n"
            text += "    access_key: \(DaemonTests.accessKey)\n    secret_key_env: DAEMON_SK\n"
            text += "defaults:\n  endpoint: \(simulator.apiEndpoint.absoluteString)\n  ca_file: \(simulator.caFile.path)\nclusters:\n"
            for (name, id) in names {
                text += "  - name: \(name)\n    project_id: \(DaemonTests.project)\n    cluster_id: \(id)\n"
            }
            try Data(text.utf8).write(to: URL(fileURLWithPath: config))
            chmod(config, 0o600)
        }

        func start(_ extraEnvironment: [String: String] = [:]) throws -> RunningCommand {
            var runner = workspace.runner
            runner.environment.merge(
                [
                    "DAEMON_SK": DaemonTests.secretKey,
                    "NOTIFY_SOCKET": notify.path,
                    "XDG_STATE_HOME": workspace.directory.file("state"),
                ].merging(extraEnvironment) { $1 }
            ) { $1 }
            return try runner.start(workspace.executable, ["run", "--config", config])
        }

        /// `cce-kubeconfigd status` with this service's config and state directory.
        func status(_ options: String...) async throws -> CommandResult {
            var runner = workspace.runner
            runner.environment["XDG_STATE_HOME"] = workspace.directory.file("state")
            let arguments = ["status", "--config", config] + options
            let executable = workspace.executable
            return try await offload { [runner] in try runner.run(executable, arguments) }
        }

        func managedWatchNames() -> [String] {
            guard let data = FileManager.default.contents(atPath: workspace.kubeconfig),
                let file = try? KubeconfigFile(bytes: Array(data))
            else { return [] }
            return file.managedWatchNames
        }

        /// The text of every entry marked for `watchName`, in file order.
        func entries(of watchName: String) -> [String] {
            guard let data = FileManager.default.contents(atPath: workspace.kubeconfig),
                let file = try? KubeconfigFile(bytes: Array(data))
            else { return [] }
            return KubeconfigSection.allCases.flatMap { section in
                file.entries(section).filter { $0.owner?.watchName == watchName }.compactMap { entry in
                    file.sourceText(of: entry).map { String(decoding: $0, as: UTF8.self) }
                }
            }
        }

        func contexts() -> [String] {
            guard let data = FileManager.default.contents(atPath: workspace.kubeconfig),
                let file = try? KubeconfigFile(bytes: Array(data))
            else { return [] }
            return file.entries(.contexts).map(\.name)
        }
    }

    func withService(
        clusterIDs: [String] = [prodID, devID],
        lifetimes: [String: Int] = [:],
        faults: [String: Fault] = [:],
        _ body: (Service) async throws -> Void
    ) async throws {
        try await Workspace.with { workspace in
            let clusters = clusterIDs.map { id in
                SimulatedCluster(
                    projectID: Self.project,
                    clusterID: id,
                    hasExternalEndpoint: id == Self.prodID,
                    certificateLifetime: lifetimes[id].map { .seconds($0) } ?? .asRequested,
                    fault: faults[id]
                )
            }
            let simulator = try await CCESimulator.start(
                SimulatorConfiguration(accessKeys: [Self.accessKey: Self.secretKey], clusters: clusters),
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

    func stop(_ daemon: RunningCommand, in service: Service) async throws -> CommandResult {
        kill(daemon.processIdentifier, SIGTERM)
        let result = try await offload { try daemon.wait(timeout: .seconds(10)) }
        #expect(result.status == 0, "run did not exit 0: \(result.standardError)")
        #expect(!result.output.contains(Self.secretKey))
        #expect(!FileManager.default.fileExists(atPath: service.workspace.kubeconfig + ".lock"))
        return result
    }

    @Test func startsWritesEveryClusterAndNotifiesSystemd() async throws {
        try await withService { service in
            try service.writeConfig([("prod", Self.prodID), ("dev", Self.devID)])
            let daemon = try service.start(["WATCHDOG_USEC": "1000000"])
            #expect(await eventually { service.managedWatchNames() == ["dev", "prod"] })
            #expect(await eventually { service.notify.messages().contains { $0.contains("WATCHDOG=1") } })
            _ = try await stop(daemon, in: service)
            let messages = service.notify.messages()
            #expect(messages.contains { $0.contains("READY=1") })
            #expect(messages.contains { $0.hasPrefix("STATUS=") && $0.contains("2 fresh") })
            #expect(messages.contains { $0.contains("STOPPING=1") })
            let status = try await service.status()
            #expect(status.status == 0, "\(status.standardOutput)")
            #expect(status.standardOutput.contains("prod   -         prod-internal,prod-external   embed   in 6d 23h"))
        }
    }

    @Test func restartAfterKillFetchesNothingFresh() async throws {
        try await withService { service in
            try service.writeConfig([("prod", Self.prodID), ("dev", Self.devID)])
            let first = try service.start()
            #expect(await eventually { service.managedWatchNames() == ["dev", "prod"] })
            first.kill()
            _ = try? await offload { try first.wait(timeout: .seconds(5)) }
            let requests = service.simulator.requestCount(forCluster: Self.prodID) + service.simulator.requestCount(forCluster: Self.devID)

            let second = try service.start()
            #expect(await eventually { service.notify.messages().filter { $0.contains("READY=1") }.count >= 2 })
            try await Task.sleep(for: .seconds(2))
            let after = service.simulator.requestCount(forCluster: Self.prodID) + service.simulator.requestCount(forCluster: Self.devID)
            #expect(after == requests)
            _ = try await stop(second, in: service)
        }
    }

    @Test func reloadAddsPrunesAndRefusesABrokenConfig() async throws {
        try await withService { service in
            try service.writeConfig([("prod", Self.prodID)])
            let daemon = try service.start()
            #expect(await eventually { service.managedWatchNames() == ["prod"] })

            try service.writeConfig([("dev", Self.devID)])
            kill(daemon.processIdentifier, SIGHUP)
            #expect(await eventually { service.managedWatchNames() == ["dev"] })

            try Data("clusters: [oops\n".utf8).write(to: URL(fileURLWithPath: service.config))
            kill(daemon.processIdentifier, SIGHUP)
            #expect(await eventually { service.notify.messages().contains { $0.contains("configuration refused") } })
            try await Task.sleep(for: .milliseconds(500))
            #expect(service.managedWatchNames() == ["dev"])
            _ = try await stop(daemon, in: service)
        }
    }

    @Test func managedEntriesDeletedOutsideAreRestored() async throws {
        try await withService { service in
            try service.writeConfig([("prod", Self.prodID)])
            let daemon = try service.start()
            #expect(await eventually { service.contexts().contains("prod-internal") })
            let remove = try await service.workspace.cce(["remove", "prod", "--kubeconfig", service.workspace.kubeconfig])
            #expect(remove.status == 0)
            #expect(await eventually(within: .seconds(5)) { service.contexts().sorted() == ["prod-external", "prod-internal"] })
            _ = try await stop(daemon, in: service)
        }
    }

    @Test(.enabled(if: Programs.hasKubectl))
    func kubectlChangesAndTheDaemonsEntriesBothSurvive() async throws {
        try await withService { service in
            try service.writeConfig([("prod", Self.prodID), ("dev", Self.devID)])
            let daemon = try service.start()
            #expect(await eventually { service.managedWatchNames() == ["dev", "prod"] })
            for index in 0..<15 {
                for arguments in [
                    ["config", "set-context", "mine-\(index)", "--cluster=prod-internal", "--user=prod"],
                    ["config", "delete-context", index.isMultiple(of: 2) ? "prod-internal" : "dev-internal"],
                ] {
                    var runner = service.workspace.runner
                    runner.environment["KUBECONFIG"] = service.workspace.kubeconfig
                    // kubectl fails at once while the daemon holds the lock; retry as a script would.
                    for _ in 0..<50 {
                        let kubectl = try #require(Programs.kubectl)
                        let result = try await offload { [runner] in try runner.run(kubectl, arguments) }
                        guard result.status != 0, result.standardError.contains("file exists") else { break }
                        try await Task.sleep(for: .milliseconds(20))
                    }
                }
            }
            let expected = Set((0..<15).map { "mine-\($0)" } + ["prod-internal", "prod-external", "dev-internal"])
            #expect(await eventually(within: .seconds(10)) { expected.isSubset(of: Set(service.contexts())) })
            _ = try await stop(daemon, in: service)
        }
    }

    static func inode(of path: String) -> UInt64? {
        var status = stat()
        return stat(path, &status) == 0 ? UInt64(status.st_ino) : nil
    }

    /// The most attempts a cluster that fails every time can make in `elapsed`: the first at
    /// once, then backoff waits of at least half of 2 s, 4 s, 8 s, ...: attempt `n + 1` comes no
    /// sooner than `2^n − 1` seconds after the first. A loaded machine only makes fewer.
    private static func attemptsAllowed(within elapsed: Duration) -> Int {
        let seconds = Double(elapsed.components.seconds) + 1
        return 1 + Int(log2(seconds).rounded(.down))
    }

    @Test func faultyClusterBacksOffWhileTheOtherStaysFresh() async throws {
        try await withService(lifetimes: [Self.prodID: 6], faults: [Self.devID: .serviceUnavailable]) { service in
            try service.writeConfig([("prod", Self.prodID), ("dev", Self.devID)])
            let started = ContinuousClock.now
            let daemon = try service.start()
            // prod's 6 s certificates renew at two thirds of their lifetime; dev backs off from 2 s.
            #expect(
                await eventually(within: .seconds(40)) {
                    service.simulator.requestCount(forCluster: Self.devID) >= 2
                        && service.simulator.requestCount(forCluster: Self.prodID) >= 3
                }
            )
            let devRequests = service.simulator.requestCount(forCluster: Self.devID)
            let elapsed = ContinuousClock.now - started
            #expect(devRequests <= Self.attemptsAllowed(within: elapsed), "dev was asked \(devRequests) times in \(elapsed)")
            #expect(service.managedWatchNames() == ["prod"])
            let state = try String(contentsOfFile: service.workspace.directory.file("state/cce-kubeconfigd/state.json"), encoding: .utf8)
            #expect(state.contains("\"lastError\""))
            #expect(state.contains("HTTP 503"))
            let status = try await service.status("--json")
            #expect(status.status == 2, "dev has no certificate at all")
            #expect(status.standardOutput.contains("HTTP 503"))
            _ = try await stop(daemon, in: service)
        }
    }

    @Test(arguments: [Fault.forbidden, .notFound])
    func faultThatAsksForPatienceIsNotRetriedSoon(fault: Fault) async throws {
        try await withService(faults: [Self.devID: fault]) { service in
            try service.writeConfig([("prod", Self.prodID), ("dev", Self.devID)])
            let daemon = try service.start()
            #expect(
                await eventually { service.managedWatchNames() == ["prod"] && service.simulator.requestCount(forCluster: Self.devID) >= 1 }
            )
            try await Task.sleep(for: .seconds(5))
            // 403 and 404 are retried after 15 to 30 minutes, 429 not before its Retry-After.
            #expect(service.simulator.requestCount(forCluster: Self.devID) == 1)
            let status = try await service.status("--json")
            #expect(status.status == 2, "dev has no certificate")
            #expect(status.standardOutput.contains("cluster \\\"dev\\\": "), "status --json names the reason")
            _ = try await stop(daemon, in: service)
        }
    }

    /// A 429 holds the credential set back until its `Retry-After`; the cluster waits for the
    /// pacer, and `status` says so instead of counting a failure.
    @Test func throttledClusterWaitsForRetryAfterAndStatusSaysItIsWaiting() async throws {
        try await withService(faults: [Self.devID: .throttled(retryAfterSeconds: 60)]) { service in
            try service.writeConfig([("prod", Self.prodID), ("dev", Self.devID)])
            let daemon = try service.start()
            #expect(
                await eventually { service.managedWatchNames() == ["prod"] && service.simulator.requestCount(forCluster: Self.devID) >= 1 }
            )
            try await Task.sleep(for: .seconds(5))
            #expect(service.simulator.requestCount(forCluster: Self.devID) == 1)
            let status = try await service.status("--json")
            #expect(status.status == 2, "dev has no certificate")
            let object = try JSONSerialization.jsonObject(with: Data(status.standardOutput.utf8)) as? [String: Any]
            let dev = (object?["clusters"] as? [[String: Any]])?.first { $0["name"] as? String == "dev" }
            let wait = dev?["rateLimited"] as? [String: Any]
            #expect(
                (wait?["reason"] as? String)?.hasPrefix("cluster \"dev\": CCE is throttling requests; retry after 1m") == true,
                "\(String(describing: wait))"
            )
            #expect(dev?["consecutiveFailures"] as? Int == 0)
            _ = try await stop(daemon, in: service)
        }
    }

    @Test(arguments: [Fault.invalidJSON, .badBase64, .internalError])
    func faultThatMayPassIsRetriedWithBackoff(fault: Fault) async throws {
        try await withService(faults: [Self.devID: fault]) { service in
            try service.writeConfig([("prod", Self.prodID), ("dev", Self.devID)])
            let started = ContinuousClock.now
            let daemon = try service.start()
            #expect(await eventually(within: .seconds(30)) { service.simulator.requestCount(forCluster: Self.devID) >= 3 })
            let requests = service.simulator.requestCount(forCluster: Self.devID)
            let elapsed = ContinuousClock.now - started
            #expect(requests <= Self.attemptsAllowed(within: elapsed), "dev was asked \(requests) times in \(elapsed)")
            #expect(service.managedWatchNames() == ["prod"])
            _ = try await stop(daemon, in: service)
        }
    }

    /// The answers that arrive whole but cannot be used, or do not arrive whole: each is a
    /// failed attempt like a 500, so the cluster backs off from 2 s and keeps what it had.
    @Test(arguments: [
        Fault.truncatedBody, .oversizedBody(bytes: Fault.defaultOversizedBytes), .wrongShape, .plainHTTPServer, .serviceUnavailable,
    ])
    func faultAfterASuccessBacksOffAndKeepsTheClustersEntries(fault: Fault) async throws {
        try await withService(lifetimes: [Self.devID: 6]) { service in
            try service.writeConfig([("prod", Self.prodID), ("dev", Self.devID)])
            let daemon = try service.start()
            #expect(await eventually { service.managedWatchNames() == ["dev", "prod"] })
            let before = service.entries(of: "dev")
            let requestsBefore = service.simulator.requestCount(forCluster: Self.devID)
            try service.simulator.setFault(fault, forCluster: Self.devID)

            // dev's 6 s certificate is due at about 4 s; then 2 s doubling with jitter in [d/2, d).
            let faulty = ContinuousClock.now
            #expect(await eventually(within: .seconds(30)) { service.simulator.requestCount(forCluster: Self.devID) - requestsBefore >= 2 })
            let attempts = service.simulator.requestCount(forCluster: Self.devID) - requestsBefore
            let elapsed = ContinuousClock.now - faulty
            #expect(attempts <= Self.attemptsAllowed(within: elapsed), "dev was asked \(attempts) times in \(elapsed) after the fault")
            #expect(service.entries(of: "dev") == before, "dev's entries changed while its answers were bad")
            let status = try await service.status("--json")
            #expect(status.standardOutput.contains("cluster \\\"dev\\\": "), "status --json names the reason")
            _ = try await stop(daemon, in: service)
        }
    }

    @Test func refusedCredentialPausesItsClustersInsteadOfRetrying() async throws {
        try await withService(faults: [Self.devID: .unauthorized]) { service in
            try service.writeConfig([("prod", Self.prodID), ("dev", Self.devID)])
            let daemon = try service.start()
            #expect(
                await eventually { service.managedWatchNames() == ["prod"] && service.simulator.requestCount(forCluster: Self.devID) >= 1 }
            )
            // A per-cluster backoff alone would try again within 2 s and three or four times in
            // 6 s; the gateway locks an access key after five bad signatures, so the credential set
            // waits 15 min. (prod's success with the same key, in flight meanwhile, closes the
            // circuit once.)
            try await Task.sleep(for: .seconds(6))
            #expect((1...2).contains(service.simulator.requestCount(forCluster: Self.devID)))
            #expect(service.managedWatchNames() == ["prod"])
            let result = try await stop(daemon, in: service)
            #expect(result.standardError.contains("credential set refused; pausing every cluster that uses it"))
        }
    }

    /// Started the way systemd starts a unit whose standard error is the journal (the socket as
    /// stderr, `$JOURNAL_STREAM` naming it), every line reaches journald with its own priority
    /// and without the `<N>` prefix. Needs a running journald (`.ci/run` starts one).
    @Test(.enabled(if: JournalSupport.isAvailable, "journald is not running or systemd-cat is missing"))
    func logLinesReachTheJournalWithTheirPriorities() async throws {
        try await withService(faults: [Self.devID: .internalError]) { service in
            try service.writeConfig([("prod", Self.prodID), ("dev", Self.devID)])
            let identifier = "cce-kubeconfigd-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            let command = "JOURNAL_STREAM=$(stat -L -c %d:%i /proc/self/fd/2) exec \"$0\" run --config \"$1\""
            var runner = service.workspace.runner
            runner.environment.merge(["DAEMON_SK": Self.secretKey, "XDG_STATE_HOME": service.workspace.directory.file("state")]) { $1 }
            let daemon = try runner.start(
                JournalSupport.systemdCat,
                ["-t", identifier, "sh", "-c", command, service.workspace.executable, service.config]
            )
            #expect(await eventually { service.managedWatchNames() == ["prod"] })
            #expect(await eventually { JournalSupport.entries(identifier).contains { $0.message.hasPrefix("refresh failed") } })
            _ = try await stop(daemon, in: service)

            let entries = JournalSupport.entries(identifier)
            #expect(entries.contains { $0.message.hasPrefix("starting") && $0.priority == 5 }, "notice")
            #expect(entries.contains { $0.message.hasPrefix("certificate refreshed") && $0.priority == 6 }, "info")
            #expect(
                entries.contains { $0.message.hasPrefix("refresh failed") && $0.message.contains("cluster=dev") && $0.priority == 4 },
                "warning"
            )
            #expect(entries.allSatisfy { !$0.message.hasPrefix("<") }, "journald parsed every <N> prefix")
            #expect(entries.allSatisfy { !$0.message.contains(Self.secretKey) })
        }
    }

    /// SIGTERM while both clusters' renewals are in flight (the simulator holds their requests
    /// unanswered): the service exits 0 at once, the kubeconfig keeps the entries it had, and no
    /// lock or temporary file is left.
    @Test func sigtermDuringABurstOfRenewalsExitsCleanly() async throws {
        try await withService(lifetimes: [Self.prodID: 3, Self.devID: 3]) { service in
            try service.writeConfig([("prod", Self.prodID), ("dev", Self.devID)])
            let daemon = try service.start()
            #expect(await eventually { service.managedWatchNames() == ["dev", "prod"] })
            for id in [Self.prodID, Self.devID] { try service.simulator.setFault(.hang, forCluster: id) }
            // Counted once the faults are set: a renewal answered just before (and its write) is over
            // by the time the next requests, which hang, arrive.
            let asked = [Self.prodID, Self.devID].map { service.simulator.requestCount(forCluster: $0) }
            // The 3 s certificates are renewed at about 2 s: both requests arrive and hang.
            #expect(
                await eventually {
                    zip([Self.prodID, Self.devID], asked).allSatisfy { service.simulator.requestCount(forCluster: $0) > $1 }
                }
            )
            let written = try #require(FileManager.default.contents(atPath: service.workspace.kubeconfig))
            _ = try await stop(daemon, in: service)
            #expect(FileManager.default.contents(atPath: service.workspace.kubeconfig) == written)
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: service.workspace.directory.path).filter {
                $0.hasSuffix(".tmp") || $0.hasSuffix(".lock")
            }
            #expect(leftovers.isEmpty)
        }
    }
}

/// The longest daemon test, in a suite of its own: it mostly waits, so it runs beside the
/// other daemon tests (serialized among themselves) instead of after them.
@Suite struct DaemonLifetimeTests {
    /// Several certificate lifetimes of three clusters: each renewed at about two thirds of its
    /// lifetime (never more often than every 4/9 of it), never a kubeconfig write without a fetch
    /// behind it, and kubectl working on every context throughout. Three lifetimes of 90 s
    /// certificates (4.5 minutes, the longest test of the suite); `CCE_DAEMON_LIFETIME=15` for a
    /// quick run while working on the scheduler, `CCE_DAEMON_LIFETIMES` for more of them.
    @Test(.enabled(if: Programs.hasKubectl))
    func keepsThreeClustersFreshForSeveralLifetimes() async throws {
        let environment = ProcessInfo.processInfo.environment
        let lifetime = environment["CCE_DAEMON_LIFETIME"].flatMap(Int.init) ?? 90
        let lifetimes = environment["CCE_DAEMON_LIFETIMES"].flatMap(Int.init) ?? 3
        let ids = [DaemonTests.prodID, DaemonTests.devID, DaemonTests.stageID]
        try await DaemonTests().withService(clusterIDs: ids, lifetimes: Dictionary(uniqueKeysWithValues: ids.map { ($0, lifetime) })) {
            service in
            try service.writeConfig([("prod", DaemonTests.prodID), ("dev", DaemonTests.devID), ("stage", DaemonTests.stageID)])
            let daemon = try service.start()
            try #require(await eventually { service.managedWatchNames() == ["dev", "prod", "stage"] }, "the first write")
            let kubectl = try #require(Programs.kubectl)
            var runner = service.workspace.runner
            runner.environment["KUBECONFIG"] = service.workspace.kubeconfig
            let contexts = ["prod-internal", "prod-external", "dev-internal", "stage-internal"]

            var writes = 0
            var inode = DaemonTests.inode(of: service.workspace.kubeconfig)
            var failedKubectlCalls: [String] = []
            var kubectlCalls = 0
            let end = ContinuousClock.now + .seconds(lifetime * lifetimes)
            var nextKubectl = ContinuousClock.now
            while ContinuousClock.now < end {
                // Every write replaces the file by rename, so a new inode is a new write.
                let current = DaemonTests.inode(of: service.workspace.kubeconfig)
                if current != inode {
                    writes += 1
                    inode = current
                }
                if ContinuousClock.now >= nextKubectl {
                    for context in contexts {
                        let arguments = ["--context", context, "--request-timeout", "30s", "get", "--raw", "/version"]
                        let result = try await offload { [runner] in try runner.run(kubectl, arguments) }
                        kubectlCalls += 1
                        if result.status != 0 { failedKubectlCalls.append("\(context): \(result.standardError)") }
                    }
                    nextKubectl = ContinuousClock.now + .seconds(lifetime) / 3
                }
                try await Task.sleep(for: .milliseconds(50))
            }

            let fetches = ids.map { service.simulator.requestCount(forCluster: $0) }
            print(
                "daemon: \(lifetimes) lifetimes of \(lifetime) s: fetches per cluster \(fetches), \(writes) kubeconfig writes, \(kubectlCalls) kubectl calls, \(failedKubectlCalls.count) failed"
            )
            for (id, count) in zip(ids, fetches) {
                // The first fetch, then one per 2/3 lifetime less up to 1/20 of jitter: 5 in 3 lifetimes.
                #expect((lifetimes + 1...Int(Double(lifetimes) / (4.0 / 9.0)) + 1).contains(count), "\(id) was fetched \(count) times")
            }
            #expect(writes <= fetches.reduce(0, +), "\(writes) writes for \(fetches) fetches")
            #expect(writes >= lifetimes, "renewals reached the kubeconfig: \(writes) writes")
            #expect(failedKubectlCalls.isEmpty, "\(failedKubectlCalls)")
            _ = try await DaemonTests().stop(daemon, in: service)
        }
    }

}

/// A datagram socket standing in for systemd's notify socket: collects what the service sends.
final class NotifyListener: Sendable {
    let path: String
    private let descriptor: Int32
    /// Reads every datagram as it arrives, as systemd does: Linux queues at most
    /// `net.unix.max_dgram_qlen` (10 here) unread datagrams on the socket and the service's
    /// non-blocking sends beyond that are lost, so a test that read only when it looked would
    /// miss a `STATUS=` sent while it waited.
    nonisolated(unsafe) private let reader: any DispatchSourceRead
    private let received: Mutex<[String]>

    init(path: String) throws {
        self.path = path
        received = Mutex([])
        let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        self.descriptor = descriptor
        let bound = withUnixSocketAddress(path) { bind(descriptor, $0, $1) }
        reader = DispatchSource.makeReadSource(fileDescriptor: descriptor, queue: DispatchQueue(label: "notify-listener"))
        try #require(descriptor >= 0 && bound == 0, "cannot bind the notify socket \(path): errno \(errno)")
        reader.setEventHandler { [weak self] in self?.drain() }
        reader.resume()
    }

    deinit {
        reader.cancel()
        close(descriptor)
    }

    private func drain() {
        var buffer = [UInt8](repeating: 0, count: 8_192)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { return }
            let message = String(decoding: buffer[..<count], as: UTF8.self)
            received.withLock { $0.append(message) }
        }
    }

    /// Every datagram received so far, oldest first.
    func messages() -> [String] {
        drain()
        return received.withLock { $0 }
    }
}

/// The journal as systemd's own tools show it, for the test above.
enum JournalSupport {
    static let systemdCat = "/usr/bin/systemd-cat"

    static let streamSocket = "/run/systemd/journal/stdout"

    /// A journald that answers, and its tools. The socket file alone is not enough: a journald
    /// that was ended leaves it behind, refusing connections.
    static var isAvailable: Bool {
        FileManager.default.isExecutableFile(atPath: systemdCat)
            && FileManager.default.isExecutableFile(atPath: "/usr/bin/journalctl")
            && acceptsConnections(streamSocket)
    }

    private static func acceptsConnections(_ path: String) -> Bool {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        return withUnixSocketAddress(path) { connect(descriptor, $0, $1) } == 0
    }

    struct Entry {
        var priority: Int
        var message: String
    }

    /// Every entry logged under `identifier`, oldest first.
    static func entries(_ identifier: String) -> [Entry] {
        let arguments = ["--no-pager", "-o", "json", "-t", identifier]
        guard let result = try? CommandRunner(home: NSTemporaryDirectory()).run("/usr/bin/journalctl", arguments) else { return [] }
        return Data(result.standardOutput.utf8).split(separator: UInt8(ascii: "\n")).compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                let priority = (object["PRIORITY"] as? String).flatMap(Int.init),
                let message = object["MESSAGE"] as? String
            else { return nil }
            return Entry(priority: priority, message: message)
        }
    }
}
