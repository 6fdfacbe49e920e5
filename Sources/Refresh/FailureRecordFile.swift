import CredentialFiles
import KubeconfigStore
import Renewal

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The ``FailureRecord`` that `run`, `sync` and the exec plugin share, as `failures.json` in the
/// state directory.
///
/// Many processes change it, so each change reads, decides and writes while holding an exclusive
/// `flock` of `failures.lock` (released with the process if it dies), and the file is replaced
/// atomically (0600, temporary file, fsync, rename). A file that cannot be parsed (cut short by a
/// full disk, edited by hand) is read as an empty record and replaced at the next change: a
/// damaged record must not stop renewals, and what it held is at most a few minutes' caution.
package struct FailureRecordFile: Sendable, Hashable {
    package static let fileName = "failures.json"

    package let path: String
    package var lockPath: String { path + ".lock" }

    package init(stateDirectory: String) {
        path = (stateDirectory.hasSuffix("/") ? stateDirectory : stateDirectory + "/") + Self.fileName
    }

    /// Runs `body` on the record under the lock, and writes the record back when `body` changed it.
    ///
    /// - Throws: a sentence naming the file when it cannot be locked, read or written.
    package func update<Value>(_ body: (inout FailureRecord) -> Value) throws(FailureRecordFileError) -> Value {
        let directory = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
        do {
            try FileManager.default.createDirectory(
                atPath: directory,
                withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700]
            )
        } catch {
            throw FailureRecordFileError(path: path, reason: "cannot create its directory")
        }
        let lock: FileLock
        do throws(FileLock.LockError) {
            lock = try FileLock(path: lockPath, kind: .exclusive)
        } catch {
            throw FailureRecordFileError(path: lockPath, reason: "cannot lock it: \(FileErrorReason.text(for: error.code))")
        }
        let result = change(body)
        lock.release()
        return try result.get()
    }

    /// Reads the record, runs `body` on it, and writes it back when `body` changed it; under the lock.
    private func change<Value>(_ body: (inout FailureRecord) -> Value) -> Result<Value, FailureRecordFileError> {
        let file = PrivateFile(path: path)
        let before: FailureRecord
        do throws(KubeconfigStoreError) {
            before = (try file.read()).flatMap { try? JSONDecoder().decode(FailureRecord.self, from: Data($0)) } ?? FailureRecord()
        } catch {
            return .failure(FailureRecordFileError(path: path, reason: error.description))
        }
        var record = before
        let value = body(&record)
        guard record != before else { return .success(value) }
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            try file.replace(with: Array(try encoder.encode(record)))
        } catch {
            return .failure(FailureRecordFileError(path: path, reason: "\(error)"))
        }
        return .success(value)
    }
}

/// The failure record could not be used; one sentence naming the file.
package struct FailureRecordFileError: Error, Sendable, Hashable, CustomStringConvertible {
    package var path: String
    package var reason: String

    package var description: String { "\(path): \(reason)" }
}
