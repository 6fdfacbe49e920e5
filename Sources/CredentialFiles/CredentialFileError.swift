import Glibc
import KubeconfigStore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Why the credential files of a cluster cannot be used or written. Each description is one
/// sentence that names the cluster and the file, says what to do, and never shows file content.
package enum CredentialFileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The pair on disk (or the one offered for writing) is unusable.
    case invalid(watchName: String, path: String, problem: CredentialProblem)
    /// A directory, device or pipe stands where a file of ours belongs (or a file where our directory belongs).
    case wrongKind(watchName: String, path: String)
    /// Reading failed with this errno.
    case readFailed(watchName: String, path: String, code: Int32)
    /// Writing or removing failed.
    case writeFailed(watchName: String, reason: String)
    /// The lock file could not be opened or locked.
    case lockFailed(watchName: String, path: String, code: Int32)

    package var description: String {
        switch self {
        case .invalid(let name, let path, let problem):
            let what: String =
                switch problem {
                case .unreadableCertificate: "\(path) is not a PEM certificate (truncated or damaged)"
                case .unreadableKey: "\(path) is not a PEM private key (truncated or damaged)"
                case .keyDoesNotMatch: "the private key \(path) does not belong to the certificate beside it"
                case .expired(let notAfter): "the certificate \(path) expired at \(notAfter.formatted(.iso8601))"
                }
            return "cluster \"\(name)\": \(what); remove its directory to have a new certificate fetched."
        case .wrongKind(let name, let path):
            return
                "cluster \"\(name)\": \(path) is not a regular file or directory as expected; move it away to have a new certificate fetched."
        case .readFailed(let name, let path, let code):
            return "cluster \"\(name)\": cannot read \(path): \(FileErrorReason.text(for: code))."
        case .writeFailed(let name, let reason):
            return "cluster \"\(name)\": \(reason)"
        case .lockFailed(let name, let path, let code):
            return "cluster \"\(name)\": cannot lock \(path): \(FileErrorReason.text(for: code))."
        }
    }
}
