import CredentialRecord
import Glibc
import Kubeconfig
import KubeconfigStore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The credential files of exec-mode clusters: `<root>/<watch name>/client.key` and `client.crt`,
/// by default under `$XDG_STATE_HOME/cce-kubeconfigd/credentials/`.
///
/// Directories are 0700 and files 0600. A pair is checked before anything is written (the key
/// belongs to the certificate, which has not expired), so garbage never replaces a good pair.
/// Each file is replaced atomically (temporary file, fsync, rename, directory fsync), the key
/// first: a reader never finds a new certificate without its key. A reader that finds a new key
/// beside the old certificate (between the two renames) reads again under the write lock.
///
/// Beside the pair, the credential record (``CredentialRecord``): the ExecCredential answer, when
/// it stops being worth handing out, what the certificate was fetched for and fingerprints of
/// the files it depends on, so that the exec plugin answers without parsing anything. It is
/// written after the pair, under the same lock, and removed first.
///
/// Two `flock(2)` files per cluster: `.write.lock`, held for the two renames, and `.fetch.lock`,
/// held by `credential N` while it fetches, so that parallel kubectl calls make one request.
package struct CredentialStore: Sendable, Hashable {
    /// The directory under the state directory.
    package static let directoryName = "credentials"
    package static let keyFileName = "client.key"
    package static let certificateFileName = "client.crt"
    static let writeLockName = ".write.lock"
    static let fetchLockName = ".fetch.lock"
    static let fetchFailureName = ".fetch-failure"

    package var root: String

    package init(root: String) {
        self.root = root
    }

    /// The store inside the daemon's state directory (`$XDG_STATE_HOME/cce-kubeconfigd`).
    package init(stateDirectory: String) {
        self.init(root: Self.join(stateDirectory, Self.directoryName))
    }

    package func directory(for watchName: String) -> String { Self.join(root, watchName) }
    package func keyPath(for watchName: String) -> String { Self.join(directory(for: watchName), Self.keyFileName) }
    package func certificatePath(for watchName: String) -> String { Self.join(directory(for: watchName), Self.certificateFileName) }
    package func recordPath(for watchName: String) -> String { Self.join(directory(for: watchName), CredentialRecord.fileName) }

    // MARK: Reading

    /// The stored pair, checked (an expired one included: deciding to renew it is the caller's);
    /// `nil` when there is none yet, or only a key (a first write cut short).
    ///
    /// - Throws: ``CredentialFileError`` for a pair that cannot be used, naming the file.
    package func read(_ watchName: String) throws(CredentialFileError) -> StoredCredential? {
        do {
            return try readOnce(watchName)
        } catch .invalid(_, _, .keyDoesNotMatch) {
            // Perhaps between the writer's two renames: once it is done, the pair matches.
            return try withWriteLock(watchName, .shared) { () throws(CredentialFileError) in try readOnce(watchName) }
        }
    }

    /// The certificate's validity, or `nil` when there is no usable pair: what the renewal policy
    /// and `status` need for an exec-mode cluster, whose kubeconfig entry holds no certificate.
    package func validity(of watchName: String) -> CertificateValidity? {
        (try? read(watchName))?.validity
    }

    private func readOnce(_ watchName: String) throws(CredentialFileError) -> StoredCredential? {
        let directory = directory(for: watchName)
        switch Self.kind(of: directory) {
        case .missing: return nil
        case .directory: break
        case .file, .other: throw .wrongKind(watchName: watchName, path: directory)
        }
        guard let key = try Self.contents(of: keyPath(for: watchName), watchName: watchName),
            let certificate = try Self.contents(of: certificatePath(for: watchName), watchName: watchName)
        else { return nil }
        let credential = ClientCredential(certificatePEM: certificate, privateKeyPEM: key)
        do throws(CredentialProblem) {
            return StoredCredential(credential: credential, validity: try CredentialCheck.validate(credential, now: nil))
        } catch {
            throw .invalid(
                watchName: watchName,
                path: error == .unreadableCertificate ? certificatePath(for: watchName) : keyPath(for: watchName),
                problem: error
            )
        }
    }

    // MARK: Writing

    /// Checks `credential` at `now` and, when sound, makes it the stored pair (key first), then
    /// writes its record with `origin`. Files that already hold these bytes are not rewritten.
    ///
    /// - Throws: ``CredentialFileError`` before anything is written for a pair that is not
    ///   sound, or for a directory (or other non-file) where a file of ours belongs.
    @discardableResult
    package func write(
        _ credential: ClientCredential,
        for watchName: String,
        origin: CredentialOrigin = .unknown,
        now: Date
    ) throws(CredentialFileError) -> CertificateValidity {
        let validity: CertificateValidity
        do throws(CredentialProblem) {
            validity = try CredentialCheck.validate(credential, now: now)
        } catch {
            throw .invalid(watchName: watchName, path: "the certificate fetched", problem: error)
        }
        try makeDirectory(for: watchName)
        let keyPath = keyPath(for: watchName)
        let certificatePath = certificatePath(for: watchName)
        for path in [keyPath, certificatePath] where Self.kind(of: path) == .directory || Self.kind(of: path) == .other {
            throw .wrongKind(watchName: watchName, path: path)
        }
        try withWriteLock(watchName, .exclusive) { () throws(CredentialFileError) in
            for (path, bytes) in [(keyPath, credential.privateKeyPEM), (certificatePath, credential.certificatePEM)] {
                if (try? Self.contents(of: path, watchName: watchName)) == bytes { continue }
                do throws(KubeconfigStoreError) {
                    try PrivateFile(path: path).replace(with: bytes)
                } catch {
                    throw .writeFailed(watchName: watchName, reason: error.description)
                }
            }
            try writeRecord(StoredCredential(credential: credential, validity: validity), origin: origin, for: watchName)
        }
        return validity
    }

    /// What the stored certificate was fetched for and the inputs last checked, from its record;
    /// `nil` when there is no readable record (one written before records were kept, or damaged).
    package func origin(of watchName: String) -> CredentialOrigin? {
        guard let record = CredentialRecord.load(from: recordPath(for: watchName)) else { return nil }
        let pair = [keyPath(for: watchName), certificatePath(for: watchName)]
        let inputs = record.files.map(\.path).filter { !pair.contains($0) }
        return CredentialOrigin(identity: record.identity, inputs: inputs, variables: record.variables)
    }

    /// The record's answer for `watchName`, when it may be handed out at `now`: what the exec
    /// plugin serves, for the full binary's own fast path.
    package func recordedAnswer(for watchName: String, at now: Date) -> [UInt8]? {
        CredentialRecord.load(from: recordPath(for: watchName))?.answer(at: Int64(now.timeIntervalSince1970.rounded(.down)))
    }

    /// Writes the record of `stored` anew with `origin`, after the full check found the watch
    /// list still pointing the name where the certificate was fetched for: the plugin then
    /// answers from it again. Nothing is written when the pair changed since it was read.
    package func stamp(_ stored: StoredCredential, origin: CredentialOrigin, for watchName: String) throws(CredentialFileError) {
        try withWriteLock(watchName, .exclusive) { () throws(CredentialFileError) in
            guard (try? Self.contents(of: keyPath(for: watchName), watchName: watchName)) == stored.credential.privateKeyPEM,
                (try? Self.contents(of: certificatePath(for: watchName), watchName: watchName)) == stored.credential.certificatePEM
            else { return }
            try writeRecord(stored, origin: origin, for: watchName)
        }
    }

    /// The record of the pair just written (call under the write lock). A record the format
    /// cannot hold (a line break in a path) is removed instead, so that no older one answers.
    private func writeRecord(_ stored: StoredCredential, origin: CredentialOrigin, for watchName: String) throws(CredentialFileError) {
        let path = recordPath(for: watchName)
        let record = CredentialRecord(
            usableUntil: Int64(ExecCredential.expiration(of: stored.validity).timeIntervalSince1970),
            files: ([keyPath(for: watchName), certificatePath(for: watchName)] + origin.inputs).map(FileFingerprint.init(of:)),
            variables: origin.variables,
            identity: origin.identity,
            answer: stored.execCredential.json
        )
        guard let bytes = record.encoded() else {
            guard unlink(path) == 0 || errno == ENOENT else {
                throw .writeFailed(watchName: watchName, reason: "cannot remove \(path): \(FileErrorReason.text(for: errno)).")
            }
            return
        }
        do throws(KubeconfigStoreError) {
            try PrivateFile(path: path).replace(with: bytes)
        } catch {
            throw .writeFailed(watchName: watchName, reason: error.description)
        }
    }

    /// Removes the cluster's files and directory (the record, then the certificate, so no
    /// reader sees an answer or a certificate without its key); `false` when there was none.
    /// Anything else found in the directory is left there, and so is the directory then.
    @discardableResult
    package func remove(_ watchName: String) throws(CredentialFileError) -> Bool {
        let directory = directory(for: watchName)
        guard Self.kind(of: directory) == .directory else { return false }
        for name in [
            CredentialRecord.fileName, Self.certificateFileName, Self.keyFileName, Self.fetchLockName, Self.fetchFailureName,
            Self.writeLockName,
        ] {
            let path = Self.join(directory, name)
            guard unlink(path) == 0 || errno == ENOENT else {
                throw .writeFailed(watchName: watchName, reason: "cannot remove \(path): \(FileErrorReason.text(for: errno)).")
            }
        }
        _ = rmdir(directory)
        return true
    }

    // MARK: Fetching

    /// What a caller holding the fetch lock knows about the fetch it may have waited for.
    package struct FetchTurn: Sendable, Hashable {
        /// The failure sentence of the fetch this caller waited for, when it failed: the caller
        /// reports it rather than asking CCE again (ten kubectl calls, one failed request).
        package var failureWaitedFor: String?
    }

    /// Runs `body` holding the cluster's fetch lock: one fetch at a time per cluster, across
    /// processes. The others wait, then find the pair the first one wrote, or its failure.
    package func withFetchLock<Value>(_ watchName: String, _ body: (FetchTurn) async throws -> Value) async throws -> Value {
        try makeDirectory(for: watchName)
        let path = Self.join(directory(for: watchName), Self.fetchLockName)
        let failurePath = Self.join(directory(for: watchName), Self.fetchFailureName)
        let waitStarted = Self.now()
        let lock: FileLock
        do throws(FileLock.LockError) {
            lock = try FileLock(path: path, kind: .exclusive)
        } catch {
            throw CredentialFileError.lockFailed(watchName: watchName, path: path, code: error.code)
        }
        var turn = FetchTurn()
        if lock.waited, let written = Self.modificationTime(of: failurePath), written >= waitStarted,
            let failure = try? Self.contents(of: failurePath, watchName: watchName)
        {
            turn.failureWaitedFor = String(decoding: failure, as: UTF8.self)
        }
        let result: Result<Value, any Error>
        do {
            result = .success(try await body(turn))
        } catch {
            result = .failure(error)
        }
        lock.release()
        return try result.get()
    }

    /// Records why the fetch made under the fetch lock failed, for the callers waiting for it
    /// (one sentence, free of secrets like every failure message); `nil` clears it after a success.
    package func recordFetchFailure(_ message: String?, for watchName: String) {
        let path = Self.join(directory(for: watchName), Self.fetchFailureName)
        guard let message else {
            unlink(path)
            return
        }
        try? PrivateFile(path: path).replace(with: Array(message.utf8))
    }

    /// The wall clock as the kernel stamps file modification times (the coarse clock, which may
    /// lag the fine one by a tick), so a failure written after this instant compares as later.
    private static func now() -> timespec {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME_COARSE, &time)
        return time
    }

    private static func modificationTime(of path: String) -> timespec? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return status.st_mtim
    }

    /// Runs `body` holding the cluster's write lock (shared for a reader, exclusive for the two renames).
    private func withWriteLock<Value>(
        _ watchName: String,
        _ kind: FileLock.Kind,
        _ body: () throws(CredentialFileError) -> Value
    ) throws(CredentialFileError) -> Value {
        let path = Self.join(directory(for: watchName), Self.writeLockName)
        let lock: FileLock
        do throws(FileLock.LockError) {
            lock = try FileLock(path: path, kind: kind)
        } catch {
            throw .lockFailed(watchName: watchName, path: path, code: error.code)
        }
        let result: Result<Value, CredentialFileError>
        do throws(CredentialFileError) {
            result = .success(try body())
        } catch {
            result = .failure(error)
        }
        lock.release()
        return try result.get()
    }

    // MARK: Files

    /// `mkdir -p` of the cluster's directory, 0700 whatever an older one had.
    private func makeDirectory(for watchName: String) throws(CredentialFileError) {
        var path = ""
        for component in directory(for: watchName).split(separator: "/", omittingEmptySubsequences: true) {
            path += "/" + component
            if mkdir(path, 0o700) != 0, errno != EEXIST {
                throw .writeFailed(
                    watchName: watchName,
                    reason: "cannot create the directory \(path): \(FileErrorReason.text(for: errno))."
                )
            }
        }
        let directory = directory(for: watchName)
        guard Self.kind(of: directory) == .directory else { throw .wrongKind(watchName: watchName, path: directory) }
        guard chmod(directory, 0o700) == 0 else {
            throw .writeFailed(
                watchName: watchName,
                reason: "cannot make \(directory) private (mode 0700): \(FileErrorReason.text(for: errno))."
            )
        }
    }

    enum Kind { case missing, directory, other, file }

    static func kind(of path: String) -> Kind {
        var status = stat()
        guard lstat(path, &status) == 0 else { return .missing }
        switch status.st_mode & S_IFMT {
        case S_IFDIR: return .directory
        case S_IFREG: return .file
        default: return .other
        }
    }

    /// A regular file's bytes; `nil` when it is missing.
    static func contents(of path: String, watchName: String) throws(CredentialFileError) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else {
            if errno == ENOENT { return nil }
            if errno == ELOOP { throw .wrongKind(watchName: watchName, path: path) }
            throw .readFailed(watchName: watchName, path: path, code: errno)
        }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0 else { throw .readFailed(watchName: watchName, path: path, code: errno) }
        guard status.st_mode & S_IFMT == S_IFREG else { throw .wrongKind(watchName: watchName, path: path) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: max(Int(status.st_size), 4096))
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .readFailed(watchName: watchName, path: path, code: errno)
            }
            if count == 0 { return bytes }
            bytes += chunk[..<count]
        }
    }

    static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }
}

/// A checked pair from the credential files and when its certificate is valid.
package struct StoredCredential: Sendable, Hashable {
    package var credential: ClientCredential
    package var validity: CertificateValidity

    /// What `credential N` prints for it.
    package var execCredential: ExecCredential { ExecCredential(credential: credential, validity: validity) }
}

extension timespec {
    /// Later or the same instant.
    static func >= (left: timespec, right: timespec) -> Bool {
        left.tv_sec != right.tv_sec ? left.tv_sec > right.tv_sec : left.tv_nsec >= right.tv_nsec
    }
}
