import ArgumentParser
import ServiceSupport

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// `demo`: the service at work on a simulated CCE, in a temporary directory, in about a minute.
///
/// The simulator is the `cce-simulator` executable, started as a child process: the service's
/// binary carries no server and no certificate authority.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Watch a simulated CCE region for a minute; no cloud account needed, nothing of yours touched.",
        discussion: """
            Starts cce-simulator (installed beside cce-kubeconfigd) on 127.0.0.1 with three clusters in \
            cn-north-4, writes a watch list that names one of them (shop-prod, in exec mode) and discovers \
            the region, and runs the service loop of `run` against it, into a kubeconfig in a new temporary \
            directory. It shows the contexts written, kubectl using each of them (when kubectl is on PATH), \
            that shop-prod's user entry holds no key, a cluster created in the console appearing, one \
            deleted being pruned, shop-ci's certificate being renewed, and `status`; then it stops the \
            simulator and removes everything it made. Ctrl-C ends it early the same way.
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
        let executable = ExecCredentialSupport.executablePath
        guard let simulatorPath = CompanionExecutable.simulator.path(besideExecutableAt: executable) else {
            throw CommandFailure(Self.simulatorMissing(besideExecutableAt: executable))
        }
        let directory = try DemoDirectory()
        defer { directory.remove() }
        let signals = SignalStream([SIGINT, SIGTERM])

        let fleet = DemoFleet(shortLifetime: certificateLifetime)
        let simulator = try await DemoSimulator.start(
            executable: simulatorPath,
            configuration: fleet.simulatorConfiguration,
            directory: directory.path + "/simulator"
        )
        print(
            """
            cce-kubeconfigd demo: \(simulatorPath) plays Huawei Cloud's \(DemoFleet.region) at \
            \(simulator.endpoints.api), with three clusters.
            Everything lives in \(directory.path) and is removed at the end.

            """
        )

        let interruptions = signals.events
        let outcome = await withTaskGroup(of: Result<Void, CommandFailure>?.self) { group in
            group.addTask { await Self.show(fleet: fleet, simulator: simulator, directory: directory) }
            group.addTask {
                for await _ in interruptions { return nil }
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        await simulator.stop()
        switch outcome {
        case .success?:
            print("\nDone: the daemon, the simulator and \(directory.path) are gone.")
        case .failure(let failure)?:
            throw failure
        case nil:
            print("\nInterrupted: the daemon, the simulator and \(directory.path) are gone.")
        }
    }

    /// Wires the service, shows the watch list, narrates, and stops the service whatever happened.
    private static func show(fleet: DemoFleet, simulator: DemoSimulator, directory: DemoDirectory) async -> Result<Void, CommandFailure> {
        let session: DemoSession
        do throws(CommandFailure) {
            session = try await DemoSession(fleet: fleet, simulator: simulator, directory: directory)
        } catch {
            return .failure(error)
        }
        let variables = DemoFleet.endpointVariables
        print(
            """
            The watch list (\(session.configPath)), as a user of \(DemoFleet.region) writes it. Its keys are in \
            environment variables, and \(variables.cce) and \(variables.iam), which Huawei Cloud's SDKs \
            read too, point at the simulator:

            \(session.configText.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))

            """
        )
        let result = await session.show()
        await session.stop()
        return result
    }

    /// One sentence: where the simulator was looked for, and how to get it.
    static func simulatorMissing(besideExecutableAt executable: String) -> String {
        let directory = executable.lastIndex(of: "/").map { String(executable[..<$0]) } ?? "."
        let prefix = directory.lastIndex(of: "/").map { String(directory[..<$0]) } ?? "."
        return "the demo needs \(CompanionExecutable.simulator.rawValue), found neither in \(directory) nor in "
            + "\(prefix)/\(CompanionExecutable.libexecDirectory): install the release tarball, which carries it, "
            + "or build it with `swift build --product cce-simulator` (`make demo` does)"
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
