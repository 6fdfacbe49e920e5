import CCESimulator
import Foundation
import Glibc
import Kubeconfig
import Testing

/// The shipped user unit, `systemd/cce-kubeconfigd.service`, taken at its word: its `ExecStart=`
/// and `ExecReload=` run as systemd would run them (specifiers expanded for a scratch home, the
/// environment a user manager gives, `UMask=`, `WatchdogSec=`), against the CCE simulator in
/// this process, and judged by the notify socket, the kubeconfig and the exit status.
///
/// The unit's hardening itself needs a real user manager; `.ci/systemd-checks` verifies it and
/// docs/security.md records how it was tried under one.
@Suite(.serialized) struct SystemdUnitTests {
    static let project = "0123456789abcdef0123456789abcdef"
    static let prodID = "4e7a9f1c-0000-11ee-8f3a-0255ac100b03"
    static let devID = "4e7a9f1c-0000-11ee-8f3a-0255ac100b04"
    static let accessKey = "AKUNITTEST0000000001"
    static let secretKey = "SKunit-test-secret"

    /// Directives systemd 252 can apply to a user service only inside a user namespace: they
    /// belong in the sandbox drop-in, never in the base unit (systemd.exec(5), "system or user
    /// namespace"; CapabilityBoundingSet= fails with 218/CAPABILITIES there).
    static let userNamespaceDirectives = [
        "PrivateUsers", "ProtectSystem", "ProtectHome", "ReadWritePaths", "ReadOnlyPaths", "InaccessiblePaths",
        "TemporaryFileSystem", "PrivateTmp", "PrivateDevices", "PrivateNetwork", "PrivateIPC", "PrivateMounts",
        "ProtectHostname", "ProtectClock", "ProtectKernelTunables", "ProtectKernelModules", "ProtectKernelLogs",
        "ProtectProc", "ProcSubset", "CapabilityBoundingSet",
    ]

    @Test func baseUnitUsesOnlyHardeningThatNeedsNoUserNamespace() throws {
        let unit = try UnitFile(repositoryPath: "systemd/cce-kubeconfigd.service")
        let misplaced = Self.userNamespaceDirectives.filter { unit.assigns($0, in: "Service") }
        #expect(misplaced.isEmpty, "these fail in a user unit without PrivateUsers=yes: \(misplaced)")
        #expect(unit.value(of: "Type", in: "Service") == "notify")
        #expect(unit.value(of: "NotifyAccess", in: "Service") == "main")
        // On systemd 252 a user unit's StateDirectory= is ~/.config/NAME, the config's directory.
        #expect(unit.value(of: "StateDirectory", in: "Service") == nil)
        #expect(unit.value(of: "StartLimitIntervalSec", in: "Unit") == "0")
    }

    @Test func sandboxDropInEntersAUserNamespaceAndKeepsTheDaemonsPathsWritable() throws {
        let dropIn = try UnitFile(repositoryPath: "systemd/cce-kubeconfigd.service.d/sandbox.conf")
        #expect(dropIn.value(of: "PrivateUsers", in: "Service") == "yes")
        #expect(dropIn.value(of: "ProtectHome", in: "Service") == "read-only")
        let writable = dropIn.values(of: "ReadWritePaths", in: "Service").map { $0.trimmingPrefix("-") }
        #expect(writable.contains("%h/.kube"))
        #expect(writable.contains("%h/.local/state/cce-kubeconfigd"), "where the daemon writes state.json")
        // ExecReload= runs in a user namespace of its own and cannot join the unit's IPC namespace.
        #expect(dropIn.value(of: "PrivateIPC", in: "Service") == nil)
    }

    @Test func execStartReportsReadyAndWritesEveryWatchedCluster() async throws {
        try await withUnit { unit in
            try unit.writeConfig(clusters: [("prod", Self.prodID), ("dev", Self.devID)])
            let service = try unit.start()
            #expect(await eventually { unit.notify.messages().contains { $0.split(separator: "\n").contains("READY=1") } })
            #expect(await eventually { unit.managedWatchNames() == ["dev", "prod"] })
            // The state file lies where the sandbox drop-in lets the daemon write.
            #expect(await eventually { FileManager.default.fileExists(atPath: unit.home + "/.local/state/cce-kubeconfigd/state.json") })
            _ = try await unit.stop(service)
        }
    }

    @Test func watchdogSecMakesTheServicePingTheWatchdog() async throws {
        try await withUnit { unit in
            try unit.writeConfig(clusters: [("prod", Self.prodID)])
            let service = try unit.start()
            #expect(await eventually { unit.notify.messages().contains { $0.contains("WATCHDOG=1") } })
            _ = try await unit.stop(service)
        }
    }

    @Test func execReloadReloadsTheConfigBetweenReloadingAndReady() async throws {
        try await withUnit { unit in
            try unit.writeConfig(clusters: [("prod", Self.prodID)])
            let service = try unit.start()
            #expect(await eventually { unit.managedWatchNames() == ["prod"] })
            let readyBefore = unit.notify.messages().filter(\.isReady).count

            try unit.writeConfig(clusters: [("prod", Self.prodID), ("dev", Self.devID)])
            let reload = try await unit.runExecReload(mainPID: service.processIdentifier)
            #expect(reload.status == 0, "ExecReload failed: \(reload.standardError)")

            #expect(await eventually { unit.notify.messages().filter(\.isReady).count > readyBefore })
            let messages = unit.notify.messages()
            let reloading = try #require(messages.firstIndex { $0.split(separator: "\n").contains("RELOADING=1") })
            #expect(messages[reloading].contains("MONOTONIC_USEC="))
            let readyAfterReloading = messages[(reloading + 1)...].contains { $0.isReady }
            #expect(readyAfterReloading, "READY=1 follows RELOADING=1")
            #expect(await eventually { unit.managedWatchNames() == ["dev", "prod"] })
            _ = try await unit.stop(service)
        }
    }

    @Test func killSignalStopsTheServiceWithStoppingAndExitZero() async throws {
        try await withUnit { unit in
            try unit.writeConfig(clusters: [("prod", Self.prodID)])
            let service = try unit.start()
            #expect(await eventually { unit.notify.messages().contains { $0.isReady } })
            let result = try await unit.stop(service)
            #expect(result.status == 0 && !result.killedBySignal, "exit \(result.status): \(result.standardError)")
            #expect(unit.notify.messages().contains { $0.split(separator: "\n").contains("STOPPING=1") })
            #expect(!result.output.contains(Self.secretKey))
            #expect(!FileManager.default.fileExists(atPath: unit.home + "/.kube/config.lock"))
        }
    }

    // MARK: - The unit, started as a user manager starts it

    /// One test's unit: a scratch home, the simulator, the notify socket.
    struct RunningUnit {
        let unit: UnitFile
        let home: String
        let simulator: RunningSimulator
        let notify: NotifyListener
        let runner: CommandRunner

        var configHome: String { home + "/.config" }
        var kubeconfig: String { home + "/.kube/config" }

        /// The watch list at the path `ExecStart=` names, as `make install` would leave it edited.
        func writeConfig(clusters: [(String, String)]) throws {
            let configPath = try #require(execStart.firstIndex(of: "--config").map { execStart[$0 + 1] })
            try FileManager.default.createDirectory(
                atPath: (configPath as NSString).deletingLastPathComponent,
                withIntermediateDirectories: true
            )
            // HOME alone does not move the default kubeconfig: Foundation takes the home
            // directory from the password database, so the test names it.
            var text = "kubeconfig: \(kubeconfig)\ncredentials:\n  default:\n    type: aksk\n"
            text += "    access_key: \(SystemdUnitTests.accessKey)\n    secret_key_file: \(home)/sk\n"
            text += "defaults:\n  endpoint: \(simulator.apiEndpoint.absoluteString)\n  ca_file: \(simulator.caFile.path)\nclusters:\n"
            for (name, id) in clusters {
                text += "  - name: \(name)\n    project_id: \(SystemdUnitTests.project)\n    cluster_id: \(id)\n"
            }
            try Data(text.utf8).write(to: URL(fileURLWithPath: configPath))
            chmod(configPath, 0o600)
        }

        /// `ExecStart=`, specifiers expanded.
        var execStart: [String] {
            (try? unit.commandLine("ExecStart", home: home)) ?? []
        }

        /// Starts `ExecStart=` with `UMask=` applied and the environment a user manager sets:
        /// HOME, the XDG directories, NOTIFY_SOCKET and, from `WatchdogSec=`, WATCHDOG_USEC.
        func start() throws -> RunningCommand {
            let command = try unit.commandLine("ExecStart", home: home)
            var runner = runner
            runner.environment["XDG_CONFIG_HOME"] = configHome
            runner.environment["XDG_STATE_HOME"] = home + "/.local/state"
            runner.environment["NOTIFY_SOCKET"] = notify.path
            runner.environment["WATCHDOG_PID"] = nil
            if let watchdog = unit.value(of: "WatchdogSec", in: "Service") {
                runner.environment["WATCHDOG_USEC"] = String(try #require(UnitFile.microseconds(watchdog), "WatchdogSec=\(watchdog)"))
            }
            let umask = unit.value(of: "UMask", in: "Service") ?? "0022"
            // exec keeps the process id, so the shell's pid is the service's main pid.
            return try runner.start("/bin/sh", ["-c", "umask \(umask) && exec \"$0\" \"$@\""] + command)
        }

        /// `ExecReload=` with `$MAINPID`, run to its end as systemd runs it.
        func runExecReload(mainPID: Int32) async throws -> CommandResult {
            let command = try unit.commandLine("ExecReload", home: home).map { $0 == "$MAINPID" ? String(mainPID) : $0 }
            let runner = runner
            return try await offload { try runner.run(command[0], Array(command.dropFirst())) }
        }

        /// Stops the service as systemd does without `KillSignal=`: SIGTERM, then waits up to `TimeoutStopSec=`.
        func stop(_ service: RunningCommand) async throws -> CommandResult {
            #expect(unit.value(of: "KillSignal", in: "Service") == nil, "the test sends SIGTERM, systemd's default")
            kill(service.processIdentifier, SIGTERM)
            let limit = unit.value(of: "TimeoutStopSec", in: "Service").flatMap(UnitFile.microseconds) ?? 90_000_000
            let result = try await offload { try service.wait(timeout: .microseconds(limit)) }
            #expect(!result.output.contains(SystemdUnitTests.secretKey))
            return result
        }

        func managedWatchNames() -> [String] {
            guard let data = FileManager.default.contents(atPath: kubeconfig),
                let file = try? KubeconfigFile(bytes: Array(data))
            else { return [] }
            return file.managedWatchNames
        }
    }

    private func withUnit(_ body: (RunningUnit) async throws -> Void) async throws {
        let unit = try UnitFile(repositoryPath: "systemd/cce-kubeconfigd.service")
        let executable = try Programs.cceKubeconfigd()
        try await TemporaryDirectory.with { directory in
            let home = directory.path
            // ExecStart names %h/.local/bin/cce-kubeconfigd, where make install puts the binary.
            try FileManager.default.createDirectory(atPath: home + "/.local/bin", withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: home + "/.local/bin/cce-kubeconfigd", withDestinationPath: executable)
            try directory.write(Array(Self.secretKey.utf8), to: "sk")
            let clusters = [Self.prodID, Self.devID].map { id in
                SimulatedCluster(projectID: Self.project, clusterID: id, hasExternalEndpoint: id == Self.prodID)
            }
            let simulator = try await CCESimulator.start(
                SimulatorConfiguration(accessKeys: [Self.accessKey: Self.secretKey], clusters: clusters),
                directory: URL(fileURLWithPath: directory.file("simulator"))
            )
            let running = RunningUnit(
                unit: unit,
                home: home,
                simulator: simulator,
                notify: try NotifyListener(path: directory.file("notify.sock")),
                runner: CommandRunner(home: home)
            )
            do {
                try await body(running)
            } catch {
                await simulator.shutdown()
                throw error
            }
            await simulator.shutdown()
        }
    }
}

extension String {
    /// Whether this notify datagram says READY=1.
    fileprivate var isReady: Bool { split(separator: "\n").contains("READY=1") }
}

/// A systemd unit file or drop-in: sections of `Key=value` lines, read the way systemd reads
/// them for what these tests need (comments, repeated keys, an empty value resetting a list).
struct UnitFile {
    private var entries: [(section: String, key: String, value: String)] = []

    init(repositoryPath: String) throws {
        var section = ""
        for rawLine in try Fixtures.text(repositoryPath).split(separator: "\n", omittingEmptySubsequences: false) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") && line.hasSuffix("]") {
                section = String(line.dropFirst().dropLast())
                continue
            }
            let parts = line.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            try #require(parts.count == 2, "\(repositoryPath): not a Key=value line: \(line)")
            #expect(!line.hasSuffix("\\"), "\(repositoryPath): continuation lines are not read here")
            entries.append((section, parts[0].trimmingCharacters(in: .whitespaces), parts[1].trimmingCharacters(in: .whitespaces)))
        }
    }

    /// Every value of `key` in `section`, in order; an empty assignment clears the earlier ones.
    func values(of key: String, in section: String) -> [String] {
        var values: [String] = []
        for entry in entries where entry.section == section && entry.key == key {
            if entry.value.isEmpty { values = [] } else { values.append(entry.value) }
        }
        return values
    }

    /// Whether `key` is set at all in `section`, even to the empty value.
    func assigns(_ key: String, in section: String) -> Bool {
        entries.contains { $0.section == section && $0.key == key }
    }

    /// The last value of `key`: what systemd uses for a single-valued setting.
    func value(of key: String, in section: String) -> String? {
        entries.last { $0.section == section && $0.key == key }?.value
    }

    /// The command line of `key` (ExecStart, ExecReload) split into words, specifiers expanded as
    /// a user manager expands them for `home` (systemd.unit(5), "Specifiers"). Command prefixes
    /// (`-`, `@`, `+`, ...) and quoting are refused rather than guessed at.
    func commandLine(_ key: String, home: String) throws -> [String] {
        let line = try #require(value(of: key, in: "Service"), "no \(key)=")
        let words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        try #require(
            words.first?.hasPrefix("/") == true || words.first?.hasPrefix("%h/") == true,
            "\(key)= must start with an absolute path: \(line)"
        )
        try #require(!line.contains("\"") && !line.contains("'"), "\(key)=: quoting is not read here")
        return try words.map { try Self.expand($0, home: home) }
    }

    /// %h, %E (XDG_CONFIG_HOME) and %%; any other specifier fails the test,
    /// so a specifier added to the unit must be taught here first.
    static func expand(_ word: String, home: String) throws -> String {
        var result = ""
        var iterator = word.makeIterator()
        while let character = iterator.next() {
            guard character == "%" else {
                result.append(character)
                continue
            }
            switch iterator.next() {
            case "h": result += home
            case "E": result += home + "/.config"
            case "%": result += "%"
            case let other:
                Issue.record("unknown specifier %\(other.map(String.init) ?? "") in \(word)")
                throw UnknownSpecifier()
            }
        }
        return result
    }

    private struct UnknownSpecifier: Error {}

    /// A systemd time span (`60s`, `1min`, `500ms`, `2h`, a bare number of seconds) in microseconds.
    static func microseconds(_ span: String) -> Int64? {
        let units: [(String, Int64)] = [("us", 1), ("ms", 1_000), ("min", 60_000_000), ("s", 1_000_000), ("h", 3_600_000_000)]
        for (suffix, factor) in units where span.hasSuffix(suffix) {
            return Int64(span.dropLast(suffix.count)).map { $0 * factor }
        }
        return Int64(span).map { $0 * 1_000_000 }
    }
}
