import CredentialFiles
import Daemon
import Durations
import Kubeconfig
import Logging
import RefreshCore
import RefreshState
import ServiceSupport
import Synchronization
import WatchList

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// The daemon's loop (that of `run`) against the simulator, and what the demo shows of it: the
/// first pass, `list`, kubectl, the exec-mode cluster's key-free entry, a cluster created and
/// one deleted in the console, a renewal, `status`.
final class DemoSession: Sendable {
    typealias States = [(watchName: String, state: ClusterState)]

    let configPath: String
    let configText: String
    let kubeconfigPath: String
    private let fleet: DemoFleet
    private let simulator: DemoSimulator
    private let watchList: WatchListConfig
    private let service: ServiceWiring
    private let stateFile: StateFile
    private let credentials: CredentialStore
    private let kubectl: Kubectl?
    /// The clusters' states as the daemon last published them.
    private let published: PublishedStates

    /// Writes the watch list and wires the service as `run` does, with every file in `directory`:
    /// the state directory is `<directory>/state/cce-kubeconfigd`, as `$XDG_STATE_HOME` points
    /// there for kubectl, so the exec plugin it runs finds the credential files.
    init(fleet: DemoFleet, simulator: DemoSimulator, directory: DemoDirectory) async throws(CommandFailure) {
        self.fleet = fleet
        self.simulator = simulator
        kubeconfigPath = directory.path + "/kube/config"
        configPath = directory.path + "/config.yaml"
        configText = fleet.configText(kubeconfig: kubeconfigPath, caFile: simulator.endpoints.caFile)
        guard FileManager.default.createFile(atPath: configPath, contents: Data(configText.utf8), attributes: [.posixPermissions: 0o600])
        else {
            throw CommandFailure("\(configPath): cannot write the demo's watch list")
        }
        let home = HomeDirectory.current()
        do throws(ConfigProblems) {
            watchList = try WatchListConfig.parse(Array(configText.utf8), path: configPath, fileMode: 0o600, homeDirectory: home)
        } catch {
            throw CommandFailure("the demo's own watch list is invalid: \(error)")
        }
        let stateHome = directory.path + "/state"
        let stateDirectory = stateHome + "/cce-kubeconfigd"
        stateFile = StateFile(path: stateDirectory + "/" + StateFile.fileName)
        credentials = CredentialStore(stateDirectory: stateDirectory)
        let processEnvironment = ProcessInfo.processInfo.environment
        kubectl = Kubectl.find(
            environment: processEnvironment.merging(["XDG_STATE_HOME": stateHome]) { $1 },
            cacheDirectory: directory.path + "/kube/cache"
        )

        let published = PublishedStates()
        self.published = published
        do {
            service = try await ServiceWiring(
                watchList: watchList,
                kubeconfigPath: kubeconfigPath,
                stateFile: stateFile,
                credentialFiles: credentials,
                environment: processEnvironment.merging(fleet.environment(simulator.endpoints)) { $1 },
                homeDirectory: home,
                logger: Logger(label: "cce-kubeconfigd"),
                notifier: SystemdNotifier(environment: [:]),
                observe: { published.update($0) }
            )
        } catch {
            throw CommandFailure("cannot start the service loop: \(error)")
        }
    }

    /// Runs the daemon and narrates; `.failure` when something the demo waits for goes wrong.
    func show() async -> Result<Void, CommandFailure> {
        do throws(CommandFailure) {
            try await narrate()
            return .success(())
        } catch {
            return .failure(error)
        }
    }

    /// Stops the daemon (finishing a write in progress) and the HTTP client.
    func stop() async {
        await service.stop()
    }

    private func narrate() async throws(CommandFailure) {
        service.daemon.start {}
        let region = DemoFleet.region
        print("== The daemon starts: it looks \(fleet.exec.name) up by name, lists \(region), and fetches a certificate for every cluster.")
        let first = try await until("the first certificates", within: 120) { states throws(CommandFailure) -> States? in
            try Self.failIfFailing(states)
            let fetched = states.filter { $0.state.lastSuccess != nil }
            return Set(fetched.map(\.watchName)) == Set(fleet.initial.map(\.name)) ? fetched : nil
        }
        for (name, state) in first {
            let how = name == fleet.exec.name ? "listed, exec mode" : "discovered"
            print("   \(name) (\(how)): certificate fetched, valid \(validity(state, from: state.lastSuccess!))")
        }

        print("\n== The kubeconfig \(kubeconfigPath) now holds (cce-kubeconfigd list):\n")
        print(indented(try listing()))
        checkContexts(try inventory().clusters.flatMap { $0.contexts.map(\.name) })

        try showExecEntry()

        let created = fleet.created.name
        print(
            """

            == \(created) is created in the console. The service lists \(region) again every minute (interval: 1m) \
            and at SIGHUP; the demo asks for that listing now:
            """
        )
        try await simulator.create(fleet.entry(fleet.created))
        service.daemon.reload(watchList)
        let (state, contexts) = try await until("\(created) to appear", within: 120) {
            states throws(CommandFailure) -> (ClusterState, [String])? in
            try Self.failIfFailing(states)
            guard let state = states.first(where: { $0.watchName == created })?.state, state.lastSuccess != nil else { return nil }
            let contexts = try inventory().clusters.filter { $0.watchName == created }.flatMap { $0.contexts.map(\.name) }
            return contexts.isEmpty ? nil : (state, contexts)
        }
        print(
            "   \(created): discovered, certificate fetched, valid \(validity(state, from: state.lastSuccess!)); contexts \(contexts.joined(separator: ", "))"
        )
        checkContexts(contexts)

        let deleted = fleet.deleted.name
        print("\n== \(deleted) is deleted in the console; the next listing no longer shows it, so its entries go:")
        try await simulator.delete(clusterID: fleet.deleted.id)
        service.daemon.reload(watchList)
        let remaining = try await until("\(deleted) to be pruned", within: 120) { states throws(CommandFailure) -> [String]? in
            let clusters = try inventory().clusters
            guard !states.contains(where: { $0.watchName == deleted }), !clusters.contains(where: { $0.watchName == deleted }) else {
                return nil
            }
            return clusters.flatMap { $0.contexts.map(\.name) }
        }
        print("   \(deleted): pruned; the kubeconfig's contexts are now \(remaining.joined(separator: ", "))")

        let shortLived = fleet.shortLived.name
        let fetchedBefore = first.first { $0.watchName == shortLived }?.state.lastSuccess
        print("\n== Waiting for \(shortLived)'s certificate to be renewed, at about two thirds of its life:")
        let renewed = try await until("\(shortLived)'s renewal", within: (fleet.shortLived.certificateLifetime ?? 0) + 120) {
            states throws(CommandFailure) -> ClusterState? in
            try Self.failIfFailing(states)
            guard let state = states.first(where: { $0.watchName == shortLived })?.state, let success = state.lastSuccess,
                success != fetchedBefore
            else {
                return nil
            }
            return state
        }
        print("   \(shortLived): renewed \(Self.clock(renewed.lastSuccess!)), valid \(validity(renewed, from: renewed.lastSuccess!))")
        checkContexts(try inventory().clusters.filter { $0.watchName == shortLived }.flatMap { $0.contexts.map(\.name) })

        print("\n== cce-kubeconfigd status:\n")
        let report = StatusReport(
            config: watchList,
            inventory: try inventory().addingExecCertificates(from: credentials),
            state: try? stateFile.read(),
            now: Date()
        )
        print(indented(report.table))
    }

    /// The exec-mode cluster's user entry as the kubeconfig holds it, and `grep -c
    /// client-key-data` over each managed cluster's user entry: 0 for it, 1 for each in embed mode.
    private func showExecEntry() throws(CommandFailure) {
        let name = fleet.exec.name
        let file = try kubeconfigFile()
        let users = Dictionary(file.entries(.users).map { ($0.name, $0) }) { first, _ in first }
        guard let text = users[name].flatMap(file.sourceText(of:)) else {
            throw CommandFailure("\(kubeconfigPath): holds no user entry \(name)")
        }
        print("\n== \(name) is in exec mode: its user entry in the kubeconfig runs the exec plugin, and holds no key:\n")
        print(indented("- " + String(decoding: text, as: UTF8.self)))
        var rows = [["USER", "grep -c client-key-data", "MODE"]]
        for cluster in ManagedInventory(file).clusters {
            guard let user = cluster.user, let entry = users[user] else { continue }
            let lines = file.sourceText(of: entry).map { String(decoding: $0, as: UTF8.self).split(separator: "\n") } ?? []
            rows.append([user, "\(lines.count { $0.contains("client-key-data") })", cluster.credentialMode?.rawValue ?? "-"])
        }
        print("")
        print(indented(TextTable.render(rows)))
        print(
            "   \(name)'s key and certificate are files of mode \(Self.mode(of: credentials.keyPath(for: name))) in \(credentials.directory(for: name))/."
        )
    }

    /// Runs kubectl on each context, or says that it is not installed.
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

    /// Checks `condition` against the daemon's latest states every 100 ms until it gives a value.
    ///
    /// - Throws: when `condition` throws, after `seconds`, or when the demo is interrupted.
    private func until<Value>(
        _ what: String,
        within seconds: Int,
        _ condition: (States) throws(CommandFailure) -> Value?
    ) async throws(CommandFailure) -> Value {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while true {
            if let value = try condition(published.current) { return value }
            guard ContinuousClock.now < deadline else {
                throw CommandFailure("the demo waited \(seconds) s for \(what) in vain")
            }
            do {
                try await Task.sleep(for: .milliseconds(100))
            } catch {
                throw CommandFailure("interrupted while waiting for \(what)")
            }
        }
    }

    /// A fetch that failed ends the demo: against the simulator, none should.
    private static func failIfFailing(_ states: States) throws(CommandFailure) {
        if let (name, state) = states.first(where: { $0.state.lastError != nil && $0.state.lastSuccess == nil }) {
            throw CommandFailure("\(name): \(state.lastError!)")
        }
    }

    /// `cce-kubeconfigd list`: the kubeconfig's clusters with the console names from the state file.
    private func listing() throws(CommandFailure) -> String {
        let inventory = try inventory().addingExecCertificates(from: credentials)
        return InventoryListing(inventory: inventory, state: try? stateFile.read(), now: Date()).table
    }

    private func inventory() throws(CommandFailure) -> ManagedInventory {
        ManagedInventory(try kubeconfigFile())
    }

    private func kubeconfigFile() throws(CommandFailure) -> KubeconfigFile {
        let bytes = FileManager.default.contents(atPath: kubeconfigPath).map(Array.init) ?? []
        do throws(KubeconfigError) {
            return try KubeconfigFile(bytes: bytes)
        } catch {
            throw CommandFailure(error.described(in: kubeconfigPath))
        }
    }

    private func validity(_ state: ClusterState, from now: Date) -> String {
        guard let notAfter = state.certificateNotAfter else { return "for an unknown time" }
        return "until \(Self.clock(notAfter)) (\(DurationText.readable(seconds: notAfter.timeIntervalSince(now).rounded())))"
    }

    private func indented(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : "   " + $0 }.joined(separator: "\n")
    }

    /// A file's permission bits as `ls -l` users read them in octal: `0600`.
    private static func mode(of path: String) -> String {
        var status = stat()
        guard stat(path, &status) == 0 else { return "unknown" }
        let bits = Int(status.st_mode) & 0o777
        return "0" + String(bits, radix: 8)
    }

    private static func clock(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}

/// The clusters' states as the daemon last published them: written on the daemon's queue, read
/// by the demo's task.
private final class PublishedStates: Sendable {
    private let states = Mutex<DemoSession.States>([])

    var current: DemoSession.States { states.withLock { $0 } }

    func update(_ new: DemoSession.States) {
        states.withLock { $0 = new }
    }
}
