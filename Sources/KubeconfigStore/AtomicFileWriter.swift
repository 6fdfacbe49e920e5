import Glibc

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Replaces a file so that a reader sees either the old bytes or the new ones, never a part.
///
/// kubectl rewrites in place (`O_TRUNC`), which is how readers see empty files. Here the new bytes go to a
/// temporary file next to the target (`.<name>.cce-kubeconfigd-<pid>-<random>.tmp`), are synced, and are
/// renamed over the target; then the directory is synced so the rename itself survives a crash.
enum AtomicFileWriter {
    /// Mode of a file that did not exist before: the credentials are private.
    private static let newFileMode: mode_t = 0o600

    /// Replaces `target` with `bytes`. `existing` is the `fstat` of the file being replaced, nil if there is none:
    /// its mode and owner are carried over. On failure the temporary file is removed and the target untouched.
    static func replace(_ target: String, with bytes: [UInt8], existing: stat?) throws(KubeconfigStoreError) {
        try prepare(target, with: bytes, existing: existing).commit()
    }

    /// Writes and syncs `bytes` to a new temporary file next to `target`, with the owner and mode of
    /// `existing`, without touching `target`: the slow part of a replacement, which needs no lock.
    static func prepare(_ target: String, with bytes: [UInt8], existing: stat?) throws(KubeconfigStoreError) -> PreparedReplacement {
        let (directory, name) = splitPath(target)
        let temporaryPath = joinPath(directory, temporaryFileName(for: name))
        let file: FileDescriptor
        do throws(SystemError) {
            file = try FileDescriptor.open(temporaryPath, O_CREAT | O_EXCL | O_WRONLY, mode: newFileMode)
        } catch {
            throw .writeFailed(path: target, code: error.code)
        }
        do throws(KubeconfigStoreError) {
            try fill(file, with: bytes, existing: existing, reportingAs: target)
        } catch {
            unlink(temporaryPath)
            throw error
        }
        return PreparedReplacement(target: target, temporaryPath: temporaryPath, bytes: bytes)
    }

    /// A synced temporary file waiting to be renamed over its target.
    struct PreparedReplacement: ~Copyable {
        let target: String
        let temporaryPath: String
        let bytes: [UInt8]

        /// Renames the file over the target and syncs the directory, so the rename survives a crash.
        consuming func commit() throws(KubeconfigStoreError) {
            guard rename(temporaryPath, target) == 0 else {
                let code = errno
                unlink(temporaryPath)
                throw .writeFailed(path: target, code: code)
            }
            try syncDirectory(splitPath(target).directory, reportingAs: target)
        }

        /// Removes the temporary file: the target changed while it was being prepared.
        consuming func discard() {
            unlink(temporaryPath)
        }
    }

    /// Gives the new file its final owner and mode, then its content, and syncs it.
    private static func fill(
        _ file: borrowing FileDescriptor,
        with bytes: [UInt8],
        existing: stat?,
        reportingAs target: String
    ) throws(KubeconfigStoreError) {
        // Before fchmod: a chown by a non-root user clears the set-id bits.
        if let existing {
            try keepOwner(of: file, from: existing, reportingAs: target)
        }
        do throws(SystemError) {
            // While the file is still empty, so its content never exists under another mode.
            try file.setMode(existing.map { $0.st_mode & 0o7777 } ?? newFileMode)
            try file.writeAll(bytes)
            try file.sync()
        } catch {
            throw .writeFailed(path: target, code: error.code)
        }
    }

    /// Gives the replacement the owner and group of the file it replaces, when they differ from ours.
    private static func keepOwner(
        of file: borrowing FileDescriptor,
        from existing: stat,
        reportingAs target: String
    ) throws(KubeconfigStoreError) {
        do throws(SystemError) {
            let created = try file.status()
            guard created.st_uid != existing.st_uid || created.st_gid != existing.st_gid else { return }
            try file.setOwner(user: existing.st_uid, group: existing.st_gid)
        } catch  where error.code == EPERM {
            throw .ownerNotKept(path: target, user: existing.st_uid, group: existing.st_gid)
        } catch {
            throw .writeFailed(path: target, code: error.code)
        }
    }

    /// Syncs a directory after a rename in it. File systems that cannot sync a directory say EINVAL; the rename
    /// is then as durable as they make it.
    private static func syncDirectory(_ directory: String, reportingAs target: String) throws(KubeconfigStoreError) {
        do throws(SystemError) {
            let handle = try FileDescriptor.open(directory, O_RDONLY | O_DIRECTORY)
            try handle.sync()
        } catch  where error.code == EINVAL {
            return
        } catch {
            throw .writeFailed(path: target, code: error.code)
        }
    }

    /// Removes temporary files for `target` left by a cce-kubeconfigd that was killed mid-write.
    ///
    /// Best effort: a file that cannot be listed or removed is left for the next run, and never stops a write.
    static func removeAbandonedTemporaryFiles(for target: String) {
        let (directory, name) = splitPath(target)
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for entry in entries {
            if let pid = writerPID(ofTemporaryFile: entry, for: name), processIsGone(pid) {
                unlink(joinPath(directory, entry))
            }
        }
    }

    static func temporaryFileName(for name: String) -> String {
        let random = String(UInt64.random(in: .min ... .max), radix: 36)
        return "\(temporaryFilePrefix(for: name))\(getpid())-\(random)\(temporaryFileSuffix)"
    }

    /// The process id in a temporary file name made by ``temporaryFileName(for:)`` for `name`; nil for other names.
    static func writerPID(ofTemporaryFile entry: String, for name: String) -> Int32? {
        let prefix = temporaryFilePrefix(for: name)
        guard entry.hasPrefix(prefix), entry.hasSuffix(temporaryFileSuffix) else { return nil }
        let middle = entry.dropFirst(prefix.count).dropLast(temporaryFileSuffix.count)
        let parts = middle.split(separator: "-", maxSplits: 1)
        guard parts.count == 2, let pid = Int32(parts[0]), pid > 0 else { return nil }
        return pid
    }

    private static func temporaryFilePrefix(for name: String) -> String { ".\(name).cce-kubeconfigd-" }
    private static let temporaryFileSuffix = ".tmp"
}
