import Glibc
import KubeconfigStore

/// Why the state file could not be read or written. Each description is one sentence that names
/// the file.
package enum StateFileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Opening or reading an existing file failed with this errno.
    case readFailed(path: String, code: Int32)
    /// A directory, a device or a pipe is where the file should be.
    case notAFile(path: String)
    /// The file is not a state file: not JSON, or fields missing or of the wrong type.
    case corrupt(path: String, reason: String)
    /// The file was written by a newer cce-kubeconfigd with a layout this one does not know.
    case unsupportedVersion(path: String, version: Int)
    /// The state directory could not be created with this errno.
    case directoryCreationFailed(path: String, code: Int32)
    /// Writing, syncing or renaming the replacement failed with this errno.
    case writeFailed(path: String, code: Int32)

    package var description: String {
        switch self {
        case .readFailed(let path, let code):
            "Cannot read the state file \(path): \(FileErrorReason.text(for: code))."
        case .notAFile(let path):
            "The state file \(path) is not a regular file; remove what is there."
        case .corrupt(let path, let reason):
            "The state file \(path) is not valid (\(reason)); remove it, or let the daemon replace it on its next write."
        case .unsupportedVersion(let path, let version):
            "The state file \(path) has layout version \(version), newer than this cce-kubeconfigd knows; "
                + "run the newer version or remove the file."
        case .directoryCreationFailed(let path, let code):
            "Cannot create the state directory \(path): \(FileErrorReason.text(for: code))."
        case .writeFailed(let path, let code):
            "Cannot write the state file \(path): \(FileErrorReason.text(for: code))."
        }
    }
}

extension StateFileError {
    /// The state file's wording of a file error: the path is always the state file's, or the
    /// directory that could not be made for it.
    init(_ error: KubeconfigStoreError, path: String) {
        switch error {
        case .notAFile:
            self = .notAFile(path: path)
        case .readFailed(_, let code):
            self = .readFailed(path: path, code: code)
        case .directoryCreationFailed(let directory, let code):
            self = .directoryCreationFailed(path: directory, code: code)
        case .writeFailed(_, let code), .lockFailed(_, let code):
            self = .writeFailed(path: path, code: code)
        case .ownerNotKept, .lockTimedOut:
            // Neither happens here: a private file takes no lock and keeps no other owner.
            self = .writeFailed(path: path, code: EPERM)
        }
    }
}
