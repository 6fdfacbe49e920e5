import Foundation
import Glibc
import Testing

/// Design §5: kubectl's `<path>.lock`, waited for within `--lock-timeout`, recovered only when our own
/// crashed run left it.
@Suite struct LockTests {
    /// This boot's id, as cce-kubeconfigd writes it into its locks.
    static let bootID = ((try? String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8)) ?? "")
        .trimmingCharacters(in: .whitespacesAndNewlines)

    /// The line cce-kubeconfigd writes into a lock it creates.
    private func ownerLine(pid: Int32) -> [UInt8] {
        Array("cce-kubeconfigd pid=\(pid) boot=\(Self.bootID)\n".utf8)
    }

    /// A process id that has exited and been reaped, so no process has it.
    private func exitedProcessID(in workspace: Workspace) throws -> Int32 {
        let running = try workspace.runner.start("/bin/true", [])
        let pid = running.processIdentifier
        _ = try running.wait(timeout: .seconds(10))
        try #require(kill(pid, 0) == -1 && errno == ESRCH, "process \(pid) still exists")
        return pid
    }

    @Test func kubectlLockMakesImportWaitThenFailNamingTheLock() throws {
        try Workspace.with { workspace in
            let path = try workspace.directory.copy(fixture: Fixtures.kubectlWritten, to: "config")
            let lock = try workspace.directory.write([], to: "config.lock", mode: 0)
            let before = try FileSnapshot(path)

            let result = try workspace.importAnswer(name: "prod", into: path, "--lock-timeout", "1")

            #expect(result.status == 1)
            #expect(result.duration >= .milliseconds(900), "gave up after \(result.duration)")
            #expect(result.duration < .seconds(10), "waited \(result.duration)")
            #expect(result.errorLines.count == 1)
            #expect(result.standardError.hasPrefix("error: "))
            #expect(result.standardError.contains(lock))
            #expect(exists(lock))
            let untouched = try FileSnapshot(path) == before
            #expect(untouched)
        }
    }

    @Test func lockOfALiveCCEKubeconfigdIsRespected() throws {
        try Workspace.with { workspace in
            let path = try workspace.directory.copy(fixture: Fixtures.kubectlWritten, to: "config")
            let lock = try workspace.directory.write(ownerLine(pid: getpid()), to: "config.lock")
            let before = try FileSnapshot(path)

            let result = try workspace.importAnswer(name: "prod", into: path, "--lock-timeout", "1")

            #expect(result.status == 1)
            #expect(result.standardError.contains(lock))
            #expect(exists(lock))
            let untouched = try FileSnapshot(path) == before
            #expect(untouched)
        }
    }

    @Test(.enabled(if: !LockTests.bootID.isEmpty))
    func lockLeftByAnExitedCCEKubeconfigdIsRecovered() throws {
        try Workspace.with { workspace in
            let path = try workspace.directory.copy(fixture: Fixtures.kubectlWritten, to: "config")
            let pid = try exitedProcessID(in: workspace)
            let lock = try workspace.directory.write(ownerLine(pid: pid), to: "config.lock")

            let result = try workspace.importAnswer(name: "prod", into: path, "--lock-timeout", "1")

            #expect(result.status == 0, "import failed: \(result.standardError)")
            #expect(!exists(lock))
            let merged = String(decoding: try FileSnapshot(path).bytes, as: UTF8.self)
            #expect(merged.contains("name: prod-internal"))
        }
    }
}
