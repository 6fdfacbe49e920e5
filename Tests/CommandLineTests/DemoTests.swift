import Foundation
import Glibc
import Testing

/// `cce-kubeconfigd demo`: the README's first command. It must show what the README tells users
/// to write (a region, `discover:`, a console name, exec mode, and no id anywhere) at work, with
/// or without kubectl, and leave nothing behind: no file in `$TMPDIR` or `HOME`, no simulator
/// running.
@Suite(.serialized)
struct DemoTests {
    /// Short-lived certificates so the renewal comes after about six seconds instead of forty.
    private static let lifetime = ["--certificate-lifetime", "9"]

    /// What one run of the demo printed and left behind.
    struct Run: Sendable {
        var result: CommandResult
        /// What is left in the run's `$TMPDIR`, its `HOME`, and the processes that name its `$TMPDIR`.
        var leftInTemporary: [String]
        var leftInHome: [String]
        var processesLeft: [String]

        /// The watch list as the demo printed it: from its heading to the next section.
        var watchList: String {
            let lines = result.standardOutput.split(separator: "\n", omittingEmptySubsequences: false)
            let start = lines.firstIndex { $0.hasPrefix("The watch list") }.map { $0 + 1 } ?? lines.endIndex
            let end = lines[start...].firstIndex { $0.hasPrefix("== ") } ?? lines.endIndex
            return lines[start..<end].joined(separator: "\n")
        }
    }

    /// One run with kubectl where installed and an empty `HOME`, for the tests that read what it
    /// shows; a run takes some twenty seconds, so they share it.
    private static let observed = Result { try run(environment: [:]) }

    @Test func theWatchListDiscoversARegionAndNamesNoId() throws {
        let watchList = try Self.observed.get().watchList

        #expect(watchList.contains("discover:"), "\(watchList)")
        #expect(watchList.contains("regions: [cn-north-4]"))
        #expect(watchList.contains("cluster: shop-prod"))
        for key in ["cluster_id", "project_id", "endpoint:"] {
            #expect(!watchList.contains(key), "the watch list has \(key)")
        }
        for id in [#/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/#, #/[0-9a-f]{32}/#] {
            #expect(watchList.firstMatch(of: id) == nil, "the watch list holds an id: \(watchList)")
        }
    }

    @Test func listShowsTheConsoleNameOfEveryCluster() throws {
        let output = try Self.observed.get().result.standardOutput

        for name in ["shop-prod", "shop-dev", "shop-ci"] {
            #expect(
                output.firstMatch(of: try Regex("\(name) +\(name) +\(name)-internal")) != nil,
                "\(name) has no console name in list: \(output)"
            )
        }
        #expect(output.firstMatch(of: #/\n +[a-z-]+ +- +[a-z-]+-(internal|external) /#) == nil, "a cluster without console name: \(output)")
    }

    @Test func theExecModeClusterHasNoKeyInTheKubeconfig() throws {
        let output = try Self.observed.get().result.standardOutput

        #expect(output.contains("shop-prod is in exec mode"))
        #expect(output.firstMatch(of: #/- name: shop-prod\n +user:\n +exec:\n/#) != nil, "shop-prod's user entry is not shown: \(output)")
        #expect(output.firstMatch(of: #/args:\n +- credential\n +- shop-prod\n/#) != nil, "the entry does not run the plugin: \(output)")
        #expect(output.firstMatch(of: #/\n +shop-prod +0 +exec\n/#) != nil, "shop-prod's user entry holds a key: \(output)")
        #expect(output.firstMatch(of: #/\n +shop-ci +1 +embed\n/#) != nil, "the grep finds no key where there is one: \(output)")
        #expect(output.contains("key and certificate are files of mode 0600"))
    }

    @Test func aClusterCreatedInTheConsoleAppears() throws {
        let output = try Self.observed.get().result.standardOutput

        #expect(output.contains("shop-staging is created in the console"))
        #expect(output.contains("shop-staging: discovered, certificate fetched"), "\(output)")
        #expect(output.contains("contexts shop-staging-internal"))
    }

    @Test func aClusterDeletedInTheConsoleIsPruned() throws {
        let output = try Self.observed.get().result.standardOutput

        #expect(output.contains("shop-dev: pruned; the kubeconfig's contexts are now"), "\(output)")
        let pruned = try #require(output.split(separator: "\n").first { $0.contains("shop-dev: pruned") })
        #expect(!pruned.contains("shop-dev-internal"))
        #expect(pruned.contains("shop-staging-internal"))
    }

    @Test func theShortLivedClusterIsRenewedAndStatusIsFresh() throws {
        let run = try Self.observed.get()

        #expect(run.result.status == 0, "\(run.result.output)")
        #expect(run.result.standardOutput.contains("shop-ci: renewed"))
        #expect(run.result.standardOutput.contains("health: fresh (3 fresh)"), "\(run.result.standardOutput)")
    }

    @Test func theDemoLeavesNothingBehind() throws {
        let run = try Self.observed.get()

        #expect(run.result.standardOutput.contains("Done: the daemon, the simulator and"))
        #expect(run.leftInTemporary == [])
        #expect(run.leftInHome == [], "an empty HOME did not stay empty")
        #expect(run.processesLeft == [], "the simulator is still running")
    }

    @Test(.enabled(if: Programs.hasKubectl, "kubectl is not installed"))
    func kubectlUsesEveryContextTheExecOnesAndTheDiscoveredOneIncluded() throws {
        let output = try Self.observed.get().result.standardOutput

        for context in ["shop-dev-internal", "shop-prod-internal", "shop-prod-external", "shop-ci-internal", "shop-staging-internal"] {
            #expect(output.contains("kubectl --context \(context) get --raw /version: v"), "\(context): \(output)")
        }
        #expect(!output.contains("failed"))
    }

    @Test func withoutKubectlOnPathTheDemoSaysSoCompletesAndLeavesAnEmptyHomeEmpty() throws {
        let run = try Self.run(environment: ["PATH": "/nonexistent"])

        #expect(run.result.status == 0, "\(run.result.output)")
        #expect(run.result.standardOutput.contains("kubectl is not on PATH"))
        #expect(run.result.standardOutput.contains("shop-ci: renewed"))
        #expect(run.leftInTemporary == [])
        #expect(run.leftInHome == [])
        #expect(run.processesLeft == [])
    }

    @Test func interruptingTheDemoStopsTheSimulatorAndCleansUp() throws {
        try Workspace.with { workspace in
            let temporary = try Self.emptyDirectory(in: workspace, named: "tmp")
            let demo = try workspace.adding(environment: ["TMPDIR": temporary]).runner
                .start(workspace.executable, ["demo", "--certificate-lifetime", "3600"])
            try #require(Self.waitForKubeconfig(in: temporary), "the demo never wrote its kubeconfig")
            #expect(
                Self.processes(mentioning: temporary).contains { $0.contains("cce-simulator --config") },
                "the simulator runs as a process of its own"
            )
            kill(demo.processIdentifier, SIGINT)
            let result = try demo.wait(timeout: .seconds(30))

            #expect(result.status == 0, "\(result.output)")
            #expect(result.standardOutput.contains("Interrupted"))
            #expect(try FileManager.default.contentsOfDirectory(atPath: temporary).isEmpty)
            #expect(Self.processes(mentioning: temporary) == [])
        }
    }

    /// SIGKILL leaves the demo no time to stop anything: the simulator stops at the end of its
    /// input, which the kernel closes with the demo.
    @Test func killingTheDemoStillStopsTheSimulator() async throws {
        try await Workspace.with { workspace in
            let temporary = try Self.emptyDirectory(in: workspace, named: "tmp")
            let demo = try workspace.adding(environment: ["TMPDIR": temporary]).runner
                .start(workspace.executable, ["demo", "--certificate-lifetime", "3600"])
            try #require(Self.waitForKubeconfig(in: temporary), "the demo never wrote its kubeconfig")
            demo.kill()
            _ = try await offload { try demo.wait(timeout: .seconds(30)) }

            #expect(
                await eventually(within: .seconds(30)) { Self.processes(mentioning: temporary).isEmpty },
                "the simulator outlived the demo"
            )
        }
    }

    @Test func withoutTheSimulatorInstalledTheDemoSaysWhatToInstall() throws {
        try Workspace.with { workspace in
            let temporary = try Self.emptyDirectory(in: workspace, named: "tmp")
            let alone = try Self.emptyDirectory(in: workspace, named: "bin")
            try FileManager.default.copyItem(atPath: workspace.executable, toPath: alone + "/cce-kubeconfigd")
            let result = try workspace.adding(environment: ["TMPDIR": temporary]).runner.run(alone + "/cce-kubeconfigd", ["demo"])

            #expect(result.status == 1)
            #expect(
                result.errorLines == [
                    "error: the demo needs cce-simulator, found neither in \(alone) nor in \(workspace.directory.path)/libexec/cce-kubeconfigd: "
                        + "install the release tarball, which carries it, or build it with `swift build --product cce-simulator` (`make demo` does)"
                ]
            )
            #expect(try FileManager.default.contentsOfDirectory(atPath: temporary).isEmpty)
        }
    }

    /// The simulator is a program of its own: no symbol of the CCESimulator module is in the service's binary.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/nm"), "nm is not installed"))
    func theServiceBinaryCarriesNoSimulator() throws {
        try Workspace.with { workspace in
            let symbols = try workspace.runner.run("/usr/bin/nm", ["--defined-only", workspace.executable])
            #expect(symbols.status == 0, "\(symbols.standardError)")
            #expect(symbols.standardOutput.contains("15cce_kubeconfigd"), "nm lists the executable's own symbols")
            #expect(!symbols.standardOutput.contains("12CCESimulator"), "cce-kubeconfigd links the simulator")
        }
    }

    @Test func aLifetimeTooShortToWatchIsAUsageError() throws {
        try Workspace.with { workspace in
            let result = try workspace.cce(["demo", "--certificate-lifetime", "2"])

            #expect(result.status == 2)
            #expect(result.standardError.contains("--certificate-lifetime must be between 6 and 3600 seconds."))
        }
    }

    /// Runs the demo to its end with an empty `$TMPDIR` and `HOME` and `environment`; then looks
    /// at what is left.
    private static func run(environment: [String: String]) throws -> Run {
        try Workspace.with { workspace in
            let temporary = try emptyDirectory(in: workspace, named: "tmp")
            let home = try emptyDirectory(in: workspace, named: "home")
            var runner = workspace.adding(environment: ["TMPDIR": temporary, "HOME": home].merging(environment) { $1 }).runner
            runner.timeout = .seconds(240)
            let result = try runner.run(workspace.executable, ["demo"] + lifetime)
            workspace.expectNoSecrets(in: result)
            return Run(
                result: result,
                leftInTemporary: try FileManager.default.contentsOfDirectory(atPath: temporary),
                leftInHome: try FileManager.default.subpathsOfDirectory(atPath: home).sorted(),
                processesLeft: processes(mentioning: temporary)
            )
        }
    }

    /// Whether a demo in `temporary` wrote its kubeconfig within a minute: the daemon and the
    /// simulator are running then.
    private static func waitForKubeconfig(in temporary: String) -> Bool {
        for _ in 0..<600 {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: temporary)) ?? []
            if entries.contains(where: { FileManager.default.fileExists(atPath: "\(temporary)/\($0)/kube/config") }) { return true }
            usleep(100_000)
        }
        return false
    }

    /// The command lines of the processes with `path` in an argument: the demo's simulator names
    /// its configuration file, inside the demo's directory.
    private static func processes(mentioning path: String) -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.filter { $0.allSatisfy(\.isNumber) }.compactMap { pid in
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return nil }
            let arguments = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            return arguments.contains { $0.contains(path) } ? arguments.joined(separator: " ") : nil
        }
    }

    private static func emptyDirectory(in workspace: Workspace, named name: String) throws -> String {
        let path = workspace.directory.file(name)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        return path
    }
}
