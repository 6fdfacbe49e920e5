import Dispatch
import Glibc
import KubeconfigStore
import Synchronization
import Testing

@Suite("Sharing kubectl's lock")
struct KubeconfigLockTests {
    private let shortTimeout = Duration.milliseconds(60)

    @Test func foreignLockMakesUpdateTimeOutNamingTheLockAndKeepsIt() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/config"
            try writeFile(path, "old")
            try writeKubectlLock(path + ".lock")
            try setModificationTime(path + ".lock", secondsSinceEpoch: time(nil) - 300)
            var transformed = false

            let error = #expect(throws: KubeconfigStoreError.self) {
                try KubeconfigStore(path: path, lockTimeout: shortTimeout).update { _ in
                    transformed = true
                    return bytes("new")
                }
            }

            guard case .lockTimedOut(let lockPath, _, _) = error else {
                Issue.record("expected a lock timeout, got \(String(describing: error))")
                return
            }
            #expect(lockPath == path + ".lock")
            let description = String(describing: error!)
            #expect(description.contains(path + ".lock"))
            #expect(description.contains("which is 5m"))
            #expect(description.contains("remove it if no kubectl or cce-kubeconfigd is running"))
            #expect(exists(path + ".lock"))
            #expect(!transformed)
            #expect(contents(path) == "old")
        }
    }

    @Test func lockReleasedDuringTheWaitIsTaken() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/config"
            try writeKubectlLock(path + ".lock")
            DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(50)) {
                unlink(path + ".lock")
            }

            let outcome = try KubeconfigStore(path: path, lockTimeout: .seconds(5)).update { _ in bytes("new") }

            #expect(outcome == .written(previous: nil, current: bytes("new")))
            #expect(!exists(path + ".lock"))
        }
    }

    @Test func concurrentUpdatesTakeTurnsAndLoseNothing() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/config"
            let writers = 8
            let failures = Mutex(0)

            DispatchQueue.concurrentPerform(iterations: writers) { writer in
                do {
                    _ = try KubeconfigStore(path: path).update { current in
                        (current ?? []) + bytes("writer \(writer)\n")
                    }
                } catch {
                    failures.withLock { $0 += 1 }
                }
            }

            #expect(failures.withLock { $0 } == 0)
            let lines = Set((contents(path) ?? "").split(separator: "\n").map(String.init))
            #expect(lines == Set((0..<writers).map { "writer \($0)" }))
        }
    }

    @Test func lockLeftByAnExitedDaemonOnThisBootIsRecovered() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/config"
            try writeDaemonLock(path + ".lock", pid: try exitedProcessID())

            let outcome = try KubeconfigStore(path: path, lockTimeout: shortTimeout).update { _ in bytes("new") }

            #expect(outcome == .written(previous: nil, current: bytes("new")))
            #expect(!exists(path + ".lock"))
        }
    }

    @Test func lockOfALiveDaemonIsRespected() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/config"
            try writeDaemonLock(path + ".lock", pid: getppid())

            #expect(throws: KubeconfigStoreError.self) {
                try KubeconfigStore(path: path, lockTimeout: shortTimeout).update { _ in bytes("new") }
            }
            #expect(contents(path + ".lock") == "cce-kubeconfigd pid=\(getppid()) boot=\(bootID)\n")
            #expect(!exists(path))
        }
    }

    @Test func lockFromAnotherBootIsRespected() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/config"
            let otherBoot = "00000000-0000-4000-8000-000000000000"
            try writeDaemonLock(path + ".lock", pid: try exitedProcessID(), boot: otherBoot)

            #expect(throws: KubeconfigStoreError.self) {
                try KubeconfigStore(path: path, lockTimeout: shortTimeout).update { _ in bytes("new") }
            }
            #expect(exists(path + ".lock"))
        }
    }

    @Test func lockWeHoldNamesThisProcessAndBoot() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/config"
            var lockContent: String?

            _ = try KubeconfigStore(path: path).update { _ in
                lockContent = contents(path + ".lock")
                return nil
            }

            #expect(lockContent == "cce-kubeconfigd pid=\(getpid()) boot=\(bootID)\n")
            #expect(!exists(path + ".lock"))
        }
    }

    @Test func symlinkedFileIsLockedUnderBothSpellings() throws {
        try withTemporaryDirectory { directory in
            try #require(mkdir(directory + "/real", 0o700) == 0)
            let target = directory + "/real/cfg.yaml"
            let link = directory + "/link"
            try writeFile(target, "old")
            try #require(symlink("real/cfg.yaml", link) == 0)
            var locksDuringTransform: [Bool] = []

            _ = try KubeconfigStore(path: link).update { _ in
                locksDuringTransform = [exists(link + ".lock"), exists(target + ".lock")]
                return bytes("new")
            }

            #expect(locksDuringTransform == [true, true])
            #expect(!exists(link + ".lock"))
            #expect(!exists(target + ".lock"))
        }
    }

    @Test func foreignLockOnTheSymlinkTargetIsRespected() throws {
        try withTemporaryDirectory { directory in
            let target = directory + "/cfg.yaml"
            let link = directory + "/link"
            try writeFile(target, "old")
            try #require(symlink(target, link) == 0)
            try writeKubectlLock(target + ".lock")

            let error = #expect(throws: KubeconfigStoreError.self) {
                try KubeconfigStore(path: link, lockTimeout: shortTimeout).update { _ in bytes("new") }
            }

            #expect(error.map { "\($0)" }?.contains(target + ".lock") == true)
            #expect(!exists(link + ".lock"), "the lock taken on the other spelling is released while waiting")
            #expect(contents(target) == "old")
        }
    }

    @Test func transformErrorIsRethrownUnchangedAndTheLockReleased() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/config"
            try writeFile(path, "old")

            #expect(throws: TransformFailure()) {
                try KubeconfigStore(path: path).update { _ in throw TransformFailure() }
            }

            #expect(!exists(path + ".lock"))
            #expect(contents(path) == "old")
        }
    }

    @Test func readErrorUnderTheLockReleasesIt() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/config"
            try #require(mkdir(path, 0o700) == 0)

            #expect(throws: KubeconfigStoreError.notAFile(path: path)) {
                try KubeconfigStore(path: path).update { _ in bytes("new") }
            }

            #expect(!exists(path + ".lock"))
        }
    }
}
