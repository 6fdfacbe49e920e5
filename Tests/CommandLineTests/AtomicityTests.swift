import Foundation
import Glibc
import Testing

/// Design §8: after any number of `kill -9` at random moments the kubeconfig is always complete, either the
/// old or the new version, and the next run cleans up after the killed ones.
@Suite struct AtomicityTests {
    /// 200 by default; `CCE_TORTURE_ITERATIONS` asks for more.
    private static let iterations = ProcessInfo.processInfo.environment["CCE_TORTURE_ITERATIONS"].flatMap { Int($0) } ?? 200
    /// Kills land within 0–40 ms of the start, or within the time a whole import took when that is longer (a
    /// debug build on a busy machine), so that they hit every phase, the write at the end included.
    private static let shortestKillWindow = Duration.milliseconds(40)
    /// The two complete versions an interrupted import may leave: the kubectl-written fixture with `prod`
    /// from the first answer, and with `prod` renewed.
    private func completeVersions(in workspace: Workspace) throws -> (first: [UInt8], renewed: [UInt8], importTime: Duration) {
        try FileManager.default.createDirectory(atPath: workspace.directory.file("versions"), withIntermediateDirectories: false)
        let path = try workspace.directory.copy(fixture: Fixtures.kubectlWritten, to: "versions/config")
        try workspace.importAnswer(Fixtures.cceAnswer, name: "prod", into: path).requireSuccess()
        let firstBytes = try FileSnapshot(path).bytes
        let renewed = try workspace.importAnswer(Fixtures.renewedAnswer, name: "prod", into: path).requireSuccess()
        let renewedBytes = try FileSnapshot(path).bytes
        let differ = firstBytes != renewedBytes
        try #require(differ)
        return (firstBytes, renewedBytes, renewed.duration)
    }

    @Test func killedImportsLeaveOneCompleteVersionAndNothingBehind() throws {
        try Workspace.with { workspace in
            let versions = try completeVersions(in: workspace)
            let path = try workspace.directory.copy(fixture: Fixtures.kubectlWritten, to: "config")
            try workspace.importAnswer(Fixtures.cceAnswer, name: "prod", into: path).requireSuccess()
            let lock = path + ".lock"
            let killWindow = max(Self.shortestKillWindow, versions.importTime * 1.25)
            var killed = 0
            var locksLeft = 0
            var emptyLocksLeft = 0
            var temporaryFilesLeft = 0
            let started = ContinuousClock.now

            for iteration in 0..<Self.iterations {
                let answer = iteration.isMultiple(of: 2) ? Fixtures.renewedAnswer : Fixtures.cceAnswer
                let running = try workspace.startCCE(["import", Fixtures.path(answer), "--name", "prod", "--kubeconfig", path])
                Thread.sleep(forTimeInterval: .random(in: 0...killWindow.inSeconds))
                running.kill()
                let result = try running.wait(timeout: .seconds(30))
                workspace.expectNoSecrets(in: result)

                if result.killedBySignal {
                    killed += 1
                } else {
                    #expect(result.status == 0, "iteration \(iteration): import failed: \(result.standardError)")
                }
                let current = try FileSnapshot(path).bytes
                let complete = current == versions.first || current == versions.renewed
                try #require(complete, "iteration \(iteration): the kubeconfig is neither complete version")

                let pid = running.processIdentifier
                if let owner = try? String(contentsOfFile: lock, encoding: .utf8) {
                    if owner.isEmpty {
                        // An empty lock looks like kubectl's and would block every later writer.
                        emptyLocksLeft += 1
                        Issue.record("iteration \(iteration): the killed import left an empty lock file")
                        unlink(lock)
                    } else if owner.contains("pid=\(pid) ") {
                        locksLeft += 1
                    }
                }
                temporaryFilesLeft += try workspace.directory.entries()
                    .filter { $0.hasPrefix(".config.cce-kubeconfigd-\(pid)-") && $0.hasSuffix(".tmp") }.count
                if iteration % 25 == 24, Programs.hasKubectl {
                    let view = try workspace.kubectl("config", "view", "--kubeconfig", path)
                    #expect(view.status == 0, "iteration \(iteration): kubectl cannot load the file: \(view.standardError)")
                }
            }
            let elapsed = started.duration(to: .now)

            let final = try workspace.importAnswer(Fixtures.cceAnswer, name: "prod", into: path)
            #expect(final.status == 0, "import after the kills failed: \(final.standardError)")
            let finalIsFirstVersion = try FileSnapshot(path).bytes == versions.first
            #expect(finalIsFirstVersion)
            #expect(try workspace.directory.leftovers() == [])
            print(
                "atomicity: \(Self.iterations) imports in \(elapsed), killed within \(killWindow): \(killed) before they finished; a kill left "
                    + "its lock \(locksLeft) times, an empty lock \(emptyLocksLeft) times, a temporary file \(temporaryFilesLeft) times"
            )
        }
    }
}
