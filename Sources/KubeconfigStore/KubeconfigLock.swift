import Glibc

/// kubectl's writer lock: a marker file `<path>.lock` created with `O_CREAT|O_EXCL`, removed to unlock.
///
/// kubectl fails at once when a lock exists. We retry with a growing backoff until a deadline, and each attempt
/// takes every lock or none, so we never sit on one lock (blocking kubectl) while waiting for another.
enum KubeconfigLock {
    private static let firstDelay = Duration.milliseconds(10)
    private static let longestDelay = Duration.milliseconds(200)

    /// Takes every lock in `lockPaths` (in order), runs `body`, and releases them whatever `body` does.
    static func withLocks<Result>(
        _ lockPaths: [String],
        timeout: Duration,
        _ body: () throws -> Result
    ) throws -> Result {
        let held = try acquire(lockPaths, timeout: timeout)
        defer { held.forEach { $0.release() } }
        return try body()
    }

    private static func acquire(_ lockPaths: [String], timeout: Duration) throws(KubeconfigStoreError) -> [HeldLock] {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        var delay = firstDelay
        while true {
            var held: [HeldLock] = []
            var busyPath: String?
            for lockPath in lockPaths {
                do {
                    guard let lock = try HeldLock.create(lockPath) else {
                        busyPath = lockPath
                        break
                    }
                    held.append(lock)
                } catch {
                    held.forEach { $0.release() }
                    throw error
                }
            }
            guard let busyPath else { return held }
            held.forEach { $0.release() }

            let remaining = clock.now.duration(to: deadline)
            guard remaining > .zero else {
                throw .lockTimedOut(lockPath: busyPath, age: age(ofFileAt: busyPath), waited: timeout)
            }
            sleep(for: min(delay, remaining))
            delay = min(delay * 2, longestDelay)
        }
    }

    /// How long ago the lock file was created (its mtime; nobody writes to it later). nil if it is gone.
    private static func age(ofFileAt path: String) -> Duration? {
        guard let status = linkStatus(path) else { return nil }
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let age =
            Duration.seconds(now.tv_sec - status.st_mtim.tv_sec)
            + Duration.nanoseconds(now.tv_nsec - status.st_mtim.tv_nsec)
        return max(age, .zero)
    }

    private static func sleep(for duration: Duration) {
        let (seconds, attoseconds) = duration.components
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
        nanosleep(&request, nil)
    }
}

/// One lock file this process created. Released only if the file at the path is still the one we created.
private struct HeldLock {
    let path: String
    let device: dev_t
    let inode: ino_t

    /// Creates the lock file; nil when another holder has it. A lock abandoned by a crashed cce-kubeconfigd is
    /// removed first.
    ///
    /// The owner line is written to a private file first, which is then hard-linked as `<path>.lock`: like
    /// `O_CREAT|O_EXCL` the link fails with EEXIST when the lock is taken, and unlike it the lock never exists
    /// without its owner line. An empty lock left by a kill between create and write would look like kubectl's
    /// and block every writer until removed by hand.
    static func create(_ path: String) throws(KubeconfigStoreError) -> HeldLock? {
        AtomicFileWriter.removeAbandonedTemporaryFiles(for: path)
        let (directory, name) = splitPath(path)
        let staging = joinPath(directory, AtomicFileWriter.temporaryFileName(for: name))
        do throws(SystemError) {
            // kubectl creates its locks with mode 0; ours are readable by their owner so that a later run
            // can read the owner line back.
            let file = try FileDescriptor.open(staging, O_CREAT | O_EXCL | O_WRONLY, mode: 0o600)
            try file.writeAll(Array(LockOwner.current.line.utf8))
        } catch {
            unlink(staging)
            throw .lockFailed(lockPath: path, code: error.code)
        }
        defer { unlink(staging) }
        while true {
            guard link(staging, path) == 0 else {
                let code = errno
                guard code == EEXIST else { throw .lockFailed(lockPath: path, code: code) }
                guard removeIfAbandoned(path) else { return nil }
                continue
            }
            guard let status = linkStatus(path) else { throw .lockFailed(lockPath: path, code: errno) }
            return HeldLock(path: path, device: status.st_dev, inode: status.st_ino)
        }
    }

    /// Removes the lock at `path` if a crashed cce-kubeconfigd left it.
    ///
    /// Two runs may find the same abandoned lock. Without care, the slower one would remove the fresh lock the
    /// faster one just created. So a remover holds `flock` on the abandoned file and checks that the path still
    /// names that very file before unlinking: only one remover can do so, and an open descriptor keeps the
    /// inode number from being reused meanwhile.
    private static func removeIfAbandoned(_ path: String) -> Bool {
        guard let file = try? FileDescriptor.open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK),
            flock(file.rawValue, LOCK_EX | LOCK_NB) == 0,
            let opened = try? file.status(),
            let current = linkStatus(path),
            opened.st_dev == current.st_dev, opened.st_ino == current.st_ino,
            let content = try? file.readAll(),
            let owner = LockOwner(parsing: content), owner.isAbandoned
        else { return false }
        return unlink(path) == 0
    }

    /// Removes the lock file, unless someone replaced it (then it is not ours to remove).
    func release() {
        guard let status = linkStatus(path), status.st_dev == device, status.st_ino == inode else { return }
        unlink(path)
    }
}
