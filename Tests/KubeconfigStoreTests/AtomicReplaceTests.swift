import Glibc
import KubeconfigStore
import Testing

@Suite("Replacing the file atomically")
struct AtomicReplaceTests {
    @Test func newFileIsPrivateInPrivateDirectories() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/home/.kube/config"

            let outcome = try KubeconfigStore(path: path).update { current in
                #expect(current == nil)
                return bytes("apiVersion: v1\n")
            }

            #expect(outcome == .written(previous: nil, current: bytes("apiVersion: v1\n")))
            #expect(contents(path) == "apiVersion: v1\n")
            #expect(try permissions(path) == 0o600)
            #expect(try permissions(directory + "/home") == 0o700)
            #expect(try permissions(directory + "/home/.kube") == 0o700)
        }
    }

    @Test func existingFileIsReplacedNotRewrittenAndKeepsItsMode() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/config"
            try writeFile(path, "old", mode: 0o640)
            let before = try status(path)

            let outcome = try KubeconfigStore(path: path).update { current in
                #expect(current == bytes("old"))
                return bytes("new")
            }

            #expect(outcome == .written(previous: bytes("old"), current: bytes("new")))
            #expect(contents(path) == "new")
            #expect(try permissions(path) == 0o640)
            #expect(try status(path).st_ino != before.st_ino, "a new inode: readers never see a half-written file")
            #expect(try directoryEntries(directory) == ["config"], "no lock or temporary file is left")
        }
    }

    @Test(.enabled(if: geteuid() == 0, "only root can give a file to another owner"))
    func existingFileKeepsItsOwnerAndGroup() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/config"
            try writeFile(path, "old")
            try #require(chown(path, 1234, 5678) == 0)

            _ = try KubeconfigStore(path: path).update { _ in bytes("new") }

            let after = try status(path)
            #expect(after.st_uid == 1234)
            #expect(after.st_gid == 5678)
        }
    }

    @Test func symlinkStaysASymlinkAndItsTargetIsWritten() throws {
        try withTemporaryDirectory { directory in
            try #require(mkdir(directory + "/real", 0o700) == 0)
            let target = directory + "/real/cfg.yaml"
            let link = directory + "/link"
            try writeFile(target, "old", mode: 0o640)
            try #require(symlink("real/cfg.yaml", link) == 0)

            let outcome = try KubeconfigStore(path: link).update { _ in bytes("new") }

            #expect(outcome == .written(previous: bytes("old"), current: bytes("new")))
            #expect(try status(link).st_mode & S_IFMT == S_IFLNK)
            #expect(contents(target) == "new")
            #expect(try permissions(target) == 0o640)
            #expect(try directoryEntries(directory + "/real") == ["cfg.yaml"])
        }
    }

    @Test func danglingSymlinkGetsItsTargetCreated() throws {
        try withTemporaryDirectory { directory in
            let target = directory + "/cfg.yaml"
            let link = directory + "/link"
            try #require(symlink(target, link) == 0)

            _ = try KubeconfigStore(path: link).update { _ in bytes("new") }

            #expect(try status(link).st_mode & S_IFMT == S_IFLNK)
            #expect(contents(target) == "new")
            #expect(try permissions(target) == 0o600)
        }
    }

    @Test func unchangedBytesAreNotWritten() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/config"
            try writeFile(path, "same")
            try setModificationTime(path, secondsSinceEpoch: 1_000_000_000)
            let before = try status(path)
            let store = KubeconfigStore(path: path)

            #expect(try store.update { $0 } == .unchanged)
            #expect(try store.update { _ in nil } == .unchanged)

            let after = try status(path)
            #expect(after.st_ino == before.st_ino)
            #expect(after.st_mtim.tv_sec == 1_000_000_000)
            #expect(try directoryEntries(directory) == ["config"])
        }
    }

    @Test func temporaryFilesOfExitedWritersAreRemoved() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/config"
            let exited = try exitedProcessID()
            let abandoned = ".config.cce-kubeconfigd-\(exited)-1x2y3z.tmp"
            let inProgress = ".config.cce-kubeconfigd-\(getppid())-4a5b6c.tmp"
            let otherFile = ".other.cce-kubeconfigd-\(exited)-7d8e9f.tmp"
            for name in [abandoned, inProgress, otherFile] {
                try writeFile(directory + "/" + name, "partial")
            }

            _ = try KubeconfigStore(path: path).update { _ in bytes("new") }

            #expect(try directoryEntries(directory) == ["config", inProgress, otherFile])
        }
    }

    /// The write is made to fail half way with RLIMIT_FSIZE, as a full disk would (SIGXFSZ ignored, so the
    /// write returns EFBIG). The limit is process-wide and the tests run in parallel, so it is set only
    /// around this one update, at 64 MiB: far above what any other test, or a child process started
    /// meanwhile, writes to a file.
    @Test func failedWriteLeavesTheOriginalAndNoTemporaryFile() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/config"
            try writeFile(path, "old", mode: 0o640)
            let fileSizeLimit = Int32(RLIMIT_FSIZE.rawValue)
            let limit: rlim_t = 64 << 20
            let large = [UInt8](repeating: UInt8(ascii: "x"), count: 65 << 20)
            signal(SIGXFSZ, SIG_IGN)
            var saved = rlimit()
            try #require(getrlimit(fileSizeLimit, &saved) == 0)
            var lowered = rlimit(rlim_cur: limit, rlim_max: saved.rlim_max)
            try #require(setrlimit(fileSizeLimit, &lowered) == 0)

            let result = Result { try KubeconfigStore(path: path).update { _ in large } }

            try #require(setrlimit(fileSizeLimit, &saved) == 0)
            #expect(throws: KubeconfigStoreError.writeFailed(path: path, code: EFBIG)) { try result.get() }
            #expect(contents(path) == "old")
            #expect(try permissions(path) == 0o640)
            #expect(try directoryEntries(directory) == ["config"])
        }
    }
}
