import Glibc

/// The kubeconfig file on disk, written with kubectl's lock and replaced atomically.
///
/// Readers take no lock, like kubectl's. Writers go through ``update(_:)``, which holds the lock only while it
/// reads the current bytes, lets the caller re-plan against them, and replaces the file.
package struct KubeconfigStore: Sendable {
    /// The path as spelled; see ``KubeconfigTarget``.
    package let path: String
    /// How long ``update(_:)`` waits for another writer's lock before giving up.
    package let lockTimeout: Duration

    package init(path: String, lockTimeout: Duration = .seconds(10)) {
        self.path = path
        self.lockTimeout = lockTimeout
    }

    /// Reads the file without the lock (like kubectl's readers). nil when the file does not exist.
    package func read() throws(KubeconfigStoreError) -> [UInt8]? {
        try Self.snapshot(of: path)?.bytes
    }

    /// Locks, reads the current bytes (nil when the file is missing), calls `transform` with them, and when it
    /// returns bytes that differ from the current ones, replaces the file atomically; then unlocks.
    ///
    /// `transform` runs under the lock, which kubectl's writers wait for, so it must be quick. Returning nil
    /// leaves the file alone. An error thrown by `transform` is rethrown unchanged after the lock is released;
    /// IO failures are ``KubeconfigStoreError``s.
    ///
    /// A symlinked file stays a symlink and its target is written. An existing file keeps its mode, owner and
    /// group; a new one gets mode 0600, and missing directories mode 0700.
    ///
    /// `expected`, when given, is a replacement planned against bytes read without the lock. It is
    /// written and synced to a temporary file before the lock is taken; if the file still holds
    /// those bytes (and mode and owner) under the lock, only the rename remains to be done there
    /// and `transform` is not called. Otherwise the temporary file is dropped and `transform`
    /// plans again against the current bytes.
    package func update(
        expected: ExpectedReplacement? = nil,
        _ transform: ([UInt8]?) throws -> [UInt8]?
    ) throws -> UpdateOutcome {
        let location = try FileLocation.resolve(path)
        try Self.createDirectories(location.directory)
        AtomicFileWriter.removeAbandonedTemporaryFiles(for: location.target)
        // The caller read `expected.basis` already; the file's status is enough to prepare for it.
        // Whether the bytes are still those is checked under the lock.
        var basis: stat?
        var prepared: AtomicFileWriter.PreparedReplacement?
        if let replacement = expected?.replacement, let status = linkStatus(location.target), isRegularFile(status) {
            basis = status
            prepared = try AtomicFileWriter.prepare(location.target, with: replacement, existing: status)
        }
        defer { prepared.take()?.discard() }
        return try KubeconfigLock.withLocks(location.lockPaths, timeout: lockTimeout) {
            if let expected, let basis, let ready = prepared.take() {
                guard try Self.stillHolds(location.target, expected.basis, as: basis) else {
                    ready.discard()
                    return try Self.replace(location.target, by: transform)
                }
                let replacement = ready.bytes
                try ready.commit()
                return .written(previous: expected.basis, current: replacement)
            }
            return try Self.replace(location.target, by: transform)
        }
    }

    /// Under the lock: plans against the current bytes and writes what `transform` returns.
    private static func replace(_ target: String, by transform: ([UInt8]?) throws -> [UInt8]?) throws -> UpdateOutcome {
        let current = try snapshot(of: target)
        guard let replacement = try transform(current?.bytes), replacement != current?.bytes else {
            return .unchanged
        }
        try AtomicFileWriter.replace(target, with: replacement, existing: current?.status)
        return .written(previous: current?.bytes, current: replacement)
    }

    /// A replacement planned against `basis`, the bytes of the file read without the lock.
    package struct ExpectedReplacement: Sendable {
        package var basis: [UInt8]
        package var replacement: [UInt8]

        package init(basis: [UInt8], replacement: [UInt8]) {
            self.basis = basis
            self.replacement = replacement
        }
    }

    /// The same inode with the same mode and owner: what the prepared file was made to replace.
    private static func isSameFile(_ a: stat, _ b: stat) -> Bool {
        a.st_mode == b.st_mode && a.st_uid == b.st_uid && a.st_gid == b.st_gid && a.st_ino == b.st_ino
    }

    /// Whether `path` is still the file `basis` describes (inode, mode, owner) and holds exactly
    /// `bytes`, compared as it is read: under the lock, no second copy of the file is made.
    private static func stillHolds(_ path: String, _ bytes: [UInt8], as basis: stat) throws(KubeconfigStoreError) -> Bool {
        do throws(SystemError) {
            let file = try FileDescriptor.open(path, O_RDONLY | O_NONBLOCK)
            let status = try file.status()
            guard isRegularFile(status), isSameFile(status, basis), Int(status.st_size) == bytes.count else { return false }
            return try file.holds(bytes)
        } catch  where error.code == ENOENT {
            return false
        } catch {
            throw .readFailed(path: path, code: error.code)
        }
    }

    /// The bytes of a file with the `fstat` taken on the same descriptor, so mode and owner match the content.
    private static func snapshot(of path: String) throws(KubeconfigStoreError) -> (bytes: [UInt8], status: stat)? {
        let file: FileDescriptor
        do throws(SystemError) {
            // O_NONBLOCK: opening a named pipe must fail the type check below, not hang the daemon.
            file = try FileDescriptor.open(path, O_RDONLY | O_NONBLOCK)
        } catch  where error.code == ENOENT {
            return nil
        } catch {
            throw .readFailed(path: path, code: error.code)
        }
        let status: stat
        do throws(SystemError) {
            status = try file.status()
        } catch {
            throw .readFailed(path: path, code: error.code)
        }
        guard isRegularFile(status) else { throw .notAFile(path: path) }
        do throws(SystemError) {
            return (try file.readAll(expectedSize: Int(status.st_size)), status)
        } catch {
            throw .readFailed(path: path, code: error.code)
        }
    }

    /// `mkdir -p` with mode 0700 for every directory it creates.
    static func createDirectories(_ directory: String) throws(KubeconfigStoreError) {
        var status = stat()
        if stat(directory, &status) == 0 {
            guard isDirectory(status) else { throw .directoryCreationFailed(path: directory, code: ENOTDIR) }
            return
        }
        let parent = splitPath(directory).directory
        if parent != directory {
            try createDirectories(parent)
        }
        guard mkdir(directory, 0o700) == 0 || errno == EEXIST else {
            throw .directoryCreationFailed(path: directory, code: errno)
        }
    }
}
