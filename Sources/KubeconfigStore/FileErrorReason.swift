import Glibc

/// Why a file operation failed, in the words of a sentence: `Cannot write X: <reason>.`
///
/// The cases an operator meets (a full disk, a read-only or quota-limited file system, missing
/// permission) are worded by hand; anything else uses the C library's message, lower-cased.
package enum FileErrorReason {
    package static func text(for code: Int32) -> String {
        switch code {
        case ENOSPC: return "there is no space left on the disk"
        case EDQUOT: return "the disk quota is used up"
        case EROFS: return "the file system is read-only"
        case EACCES, EPERM: return "permission denied"
        default:
            let message = String(cString: strerror(code))
            return message.prefix(1).lowercased() + message.dropFirst()
        }
    }
}
