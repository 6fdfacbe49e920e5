import ArgumentParser
import CCE
import CCESimulator
import CredentialFiles
import Daemon
import Dispatch
import Durations
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import Kubeconfig
import KubeconfigStore
import Logging
import RefreshCore
import RefreshState
import ServiceSupport
import WatchList

/// `demo`: the service at work on a simulated CCE, in a temporary directory, in about a minute.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Watch three simulated CCE clusters for a minute; no cloud account needed, nothing of yours touched.",
        discussion: """
            Starts a CCE simulator on 127.0.0.1 with three clusters (shop-prod with an external endpoint, \
            shop-ci whose certificates live 60 seconds), writes a watch list for them and runs the service \
            loop of `run` against it, into a kubeconfig in a new temporary directory. It shows the contexts \
            written, kubectl using each of them (when kubectl is on PATH), shop-ci's certificate being \
            renewed, and `status`; then it removes everything it made. Ctrl-C ends it early the same way.
            """
    )

    @Option(help: ArgumentHelp("How long shop-ci's certificates live; they are renewed at about two thirds of it.", valueName: "seconds"))
    var certificateLifetime = 60

    func validate() throws {
        guard (6...3_600).contains(certificateLifetime) else {
            throw ValidationError("--certificate-lifetime must be between 6 and 3600 seconds.")
        }
    }

    func run() async throws {
        JournalLogHandler.bootstrap(level: .warning)
        let directory = try DemoDirectory()
        let signals = SignalStream([SIGINT, SIGTERM])
        defer { directory.remove() }

        let fleet = DemoFleet(shortLifetime: certificateLifetime)
        let simulator: RunningSimulator
        do throws(SimulatorError) {
            simulator = try await CCESimulator.start(fleet.simulatorConfiguration, directory: URL(filePath: directory.path + "/simulator"))
        } catch {
            throw CommandFailure("cannot start the CCE simulator: \(error)")
        }
        let session = try await DemoSession(fleet: fleet, simulator: simulator, directory: directory)
        print("""
            cce-kubeconfigd demo: a simulated CCE API at \(simulator.apiEndpoint.absoluteString), three clusters.
            Everything lives in \(directory.path) and is removed at the end.

            The watch list (\(session.configPath)); its keys live in environment variables:

            \(session.configText.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))

            """)

        let interruptions = signals.events
        let outcome = await withTaskGroup(of: Result<Void, CommandFailure>?.self) { group in
            group.addTask { await session.show() }
            group.addTask {
                for await _ in interruptions { return nil }
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        await session.stop()
        await simulator.shutdown()
        switch outcome {
        case .success?:
            print("\nDone: the daemon, the simulator and \(directory.path) are gone.")
        case .failure(let failure)?:
            throw failure
        case nil:
            print("\nInterrupted: the daemon, the simulator and \(directory.path) are gone.")
        }
    }
}

/// The simulated account: one access key pair, one project, three clusters.
struct DemoFleet: Sendable {
    let accessKey = "DEMO" + Self.random(from: "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", count: 16)
    let secretKey = Self.random(from: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", count: 40)
    let projectID = Self.random(from: "0123456789abcdef", count: 32)
    let clusters: [(name: String, id: String, external: Bool, lifetime: Int?)]

    init(shortLifetime: Int) {
        clusters = [
            ("shop-dev", UUID().uuidString.lowercased(), false, nil),
            ("shop-prod", UUID().uuidString.lowercased(), true, nil),
            ("shop-ci", UUID().uuidString.lowercased(), false, shortLifetime),
        ]
    }

    /// The name of the cluster whose certificates the demo watches being renewed.
    var shortLived: String { clusters.first { $0.lifetime != nil }!.name }

    var simulatorConfiguration: SimulatorConfiguration {
        SimulatorConfiguration(
            accessKeys: [accessKey: secretKey],
            clusters: clusters.map { cluster in
                SimulatedCluster(
                    projectID: projectID,
                    clusterID: cluster.id,
                    hasExternalEndpoint: cluster.external,
                    certificateLifetime: cluster.lifetime.map { .seconds($0) } ?? .asRequested
                )
            }
        )
    }

    /// The watch list, with the key pair read from the environment so that the text holds no secret.
    func configText(kubeconfig: String, simulator: RunningSimulator) -> String {
        var lines = [
            "kubeconfig: \(kubeconfig)",
            "credentials:",
            "  demo: {type: aksk, access_key_env: CCE_DEMO_ACCESS_KEY, secret_key_env: CCE_DEMO_SECRET_KEY}",
            "defaults:",
            "  credentials: demo",
            "  project_id: \(projectID)",
            "  endpoint: \(simulator.apiEndpoint.absoluteString)",
            "  ca_file: \(simulator.caFile.path(percentEncoded: false))",
            "clusters:",
        ]
        for cluster in clusters {
            let tls = cluster.external ? ", external_tls: verify" : ""
            lines.append("  - {name: \(cluster.name), cluster_id: \(cluster.id)\(tls)}")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    var environment: [String: String] {
        ["CCE_DEMO_ACCESS_KEY": accessKey, "CCE_DEMO_SECRET_KEY": secretKey]
    }

    private static func random(from alphabet: String, count: Int) -> String {
        String((0..<count).map { _ in alphabet.randomElement()! })
    }
}

/// A new private directory under `$TMPDIR`, removed with everything in it at the end.
struct DemoDirectory: Sendable {
    let path: String

    init() throws {
        let base = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array("\(base)/cce-kubeconfigd-demo.XXXXXX".utf8CString)
        guard let created = mkdtemp(&template) else {
            throw CommandFailure("\(base): cannot create the demo's temporary directory (\(String(cString: strerror(errno))))")
        }
        path = String(cString: created)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// The daemon running against the simulator, and what the demo shows of it.
final class DemoSession: Sendable {
    let fleet: DemoFleet
    let configPath: String
    let configText: String
    let kubeconfigPath: String
    private let watchList: WatchListConfig
    private let service: ServiceWiring
    private let snapshots: AsyncStream<[(watchName: String, state: ClusterState)]>
    private let kubectl: Kubectl?

    init(fleet: DemoFleet, simulator: RunningSimulator, directory: DemoDirectory) async throws {
        self.fleet = fleet
        kubeconfigPath = directory.path + "/kube/config"
        configPath = directory.path + "/config.yaml"
        configText = fleet.configText(kubeconfig: kubeconfigPath, simulator: simulator)
        guard FileManager.default.createFile(atPath: configPath, contents: Data(configText.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw CommandFailure("\(configPath): cannot write the demo's watch list")
        }
        let home = HomeDirectory.current()
        do throws(ConfigProblems) {
            watchList = try WatchListConfig.parse(Array(configText.utf8), path: configPath, fileMode: 0o600, homeDirectory: home)
        } catch {
            throw CommandFailure("the demo's own watch list is invalid: \(error)")
        }
        let environment = ProcessInfo.processInfo.environment.merging(fleet.environment) { $1 }
        kubectl = Kubectl.find(environment: environment, cacheDirectory: directory.path + "/kube/cache")

        let (snapshots, continuation) = AsyncStream<[(watchName: String, state: ClusterState)]>.makeStream(bufferingPolicy: .bufferingNewest(16))
        self.snapshots = snapshots
        service = try await ServiceWiring(
            watchList: watchList,
            kubeconfigPath: kubeconfigPath,
            stateFile: StateFile(path: directory.path + "/state/" + StateFile.fileName),
            credentialFiles: CredentialStore(stateDirectory: directory.path + "/state"),
            environment: environment,
            homeDirectory: home,
            logger: Logger(label: "cce-kubeconfigd"),
            notifier: SystemdNotifier(environment: [:]),
            observe: { continuation.yield($0) }
        )
    }

    /// Runs the daemon and narrates: first pass, contexts, kubectl, one renewal, status.
    func show() async -> Result<Void, CommandFailure> {
        do {
            try await narrate()
            return .success(())
        } catch let failure as CommandFailure {
            return .failure(failure)
        } catch {
            return .failure(CommandFailure("\(error)"))
        }
    }

    private func narrate() async throws {
        service.daemon.start {}
        print("== The daemon starts: every cluster is due, its certificate is fetched and merged.")
        var renewedAt: [String: Date] = [:]
        var iterator = snapshots.makeAsyncIterator()
        var fetched: [(watchName: String, state: ClusterState)] = []
        while renewedAt.count < fleet.clusters.count {
            guard let snapshot = await iterator.next() else { return }
            fetched = snapshot
            for (name, state) in snapshot where renewedAt[name] == nil {
                if let success = state.lastSuccess {
                    renewedAt[name] = success
                    print("   \(name): certificate fetched, valid \(validity(state, now: success))")
                } else if let error = state.lastError {
                    throw CommandFailure("\(name): \(error)")
                }
            }
        }

        print("\n== The kubeconfig \(kubeconfigPath) now holds (cce-kubeconfigd list):\n")
        print(indented(InventoryListing(inventory: try inventory(), state: RefreshStateSnapshot(fetched, at: Date()), now: Date()).table))
        checkContexts(try inventory().clusters.flatMap { $0.contexts.map(\.name) })

        let shortLived = fleet.shortLived
        print("\n== Waiting for \(shortLived)'s certificate to be renewed, at about two thirds of its life:")
        var latest: [(watchName: String, state: ClusterState)]
        while true {
            guard let snapshot = await iterator.next() else { return }
            latest = snapshot
            guard let state = snapshot.first(where: { $0.watchName == shortLived })?.state,
                let success = state.lastSuccess, success != renewedAt[shortLived]
            else { continue }
            print("   \(shortLived): renewed \(Self.clock(success)), valid \(validity(state, now: success))")
            checkContexts(try inventory().clusters.filter { $0.watchName == shortLived }.flatMap { $0.contexts.map(\.name) })
            break
        }

        print("\n== cce-kubeconfigd status:\n")
        let report = StatusReport(config: watchList, inventory: try inventory(), state: RefreshStateSnapshot(latest, at: Date()), now: Date())
        print(indented(report.table))
    }

    /// Stops the daemon (finishing a write in progress) and the HTTP client.
    func stop() async {
        await service.stop()
    }

    private func checkContexts(_ contexts: [String]) {
        guard let kubectl else {
            print("\n   (kubectl is not on PATH, so the contexts are not tried.)")
            return
        }
        print("")
        for context in contexts {
            switch kubectl.serverVersion(kubeconfig: kubeconfigPath, context: context) {
            case .success(let version):
                print("   kubectl --context \(context) get --raw /version: \(version)")
            case .failure(let failure):
                print("   kubectl --context \(context) get --raw /version failed: \(failure.message)")
            }
        }
    }

    private func inventory() throws -> ManagedInventory {
        let bytes = FileManager.default.contents(atPath: kubeconfigPath).map(Array.init) ?? []
        do throws(KubeconfigError) {
            return ManagedInventory(try KubeconfigFile(bytes: bytes))
        } catch {
            throw CommandFailure(error.described(in: kubeconfigPath))
        }
    }

    private func validity(_ state: ClusterState, now: Date) -> String {
        guard let notAfter = state.certificateNotAfter else { return "for an unknown time" }
        return "until \(Self.clock(notAfter)) (\(DurationText.readable(seconds: notAfter.timeIntervalSince(now))))"
    }

    private func indented(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : "   " + $0 }.joined(separator: "\n")
    }

    private static func clock(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}
