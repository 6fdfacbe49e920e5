import Durations
import Glibc

/// Why reading or replacing a kubeconfig failed. Each description is one sentence that names the file and never
/// shows its content.
package enum KubeconfigStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The path names a directory, a device or a pipe.
    case notAFile(path: String)
    /// Opening or reading the file failed with this errno.
    case readFailed(path: String, code: Int32)
    /// A missing directory on the way to the file could not be created.
    case directoryCreationFailed(path: String, code: Int32)
    /// The lock file could not be created for a reason other than another holder (permissions, read-only).
    case lockFailed(lockPath: String, code: Int32)
    /// Another writer held the lock for the whole timeout. `age` is nil when the lock vanished just then.
    case lockTimedOut(lockPath: String, age: Duration?, waited: Duration)
    /// Writing the replacement, syncing it or renaming it over the file failed with this errno.
    case writeFailed(path: String, code: Int32)
    /// The file belongs to another owner or group that this process may not give the replacement.
    case ownerNotKept(path: String, user: UInt32, group: UInt32)

    package var description: String {
        switch self {
        case .notAFile(let path):
            return "\(path) is not a regular file, so it cannot be used as a kubeconfig."
        case .readFailed(let path, let code):
            return "Cannot read \(path): \(FileErrorReason.text(for: code))."
        case .directoryCreationFailed(let path, let code):
            return "Cannot create the directory \(path): \(FileErrorReason.text(for: code))."
        case .lockFailed(let lockPath, let code):
            return "Cannot create the lock file \(lockPath): \(FileErrorReason.text(for: code))."
        case .lockTimedOut(let lockPath, let age, let waited):
            let ageClause = age.map { ", which is \(DurationText.readable($0)) old" } ?? ""
            return "Waited \(DurationText.readable(waited)) for the lock file \(lockPath)\(ageClause); "
                + "remove it if no kubectl or cce-kubeconfigd is running."
        case .writeFailed(let path, EACCES), .writeFailed(let path, EPERM):
            return "Cannot write \(path): permission denied; the file is replaced rather than rewritten, "
                + "so its directory must be writable too."
        case .writeFailed(let path, let code):
            return "Cannot write \(path): \(FileErrorReason.text(for: code))."
        case .ownerNotKept(let path, let user, let group):
            return "Cannot replace \(path) without changing its owner (uid \(user), gid \(group)); "
                + "run as that user or change the file's owner."
        }
    }
}
