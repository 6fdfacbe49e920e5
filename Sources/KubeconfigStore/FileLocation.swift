import Glibc

/// Where a kubeconfig path as spelled really lives, worked out afresh for every update because links can change.
///
/// A write replaces `target` (symlinks followed, like kubectl's in-place write), so a symlinked kubeconfig stays
/// a symlink. kubectl names its lock after the spelling only, so two spellings of one file do not exclude each
/// other; taking the lock of both the spelling and the target keeps us out of the way of either.
struct FileLocation {
    /// The file a write replaces: the spelled path with the symlinks in its last component followed.
    let target: String
    /// The lock files to hold while writing, in sorted order like kubectl.
    let lockPaths: [String]

    /// The directory the replacement is created in, so the final `rename` stays on one file system.
    var directory: String { splitPath(target).directory }

    /// Linux gives up on symlink chains longer than this with ELOOP; so do we.
    private static let maximumLinkDepth = 40

    static func resolve(_ spelled: String) throws(KubeconfigStoreError) -> FileLocation {
        var current = spelled
        var followedLink = false
        for _ in 0..<maximumLinkDepth {
            guard let status = linkStatus(current), isSymbolicLink(status) else {
                let locks = followedLink ? [spelled + ".lock", current + ".lock"] : [spelled + ".lock"]
                return FileLocation(target: current, lockPaths: locks.sorted())
            }
            current = try linkDestination(of: current, spelled: spelled)
            followedLink = true
        }
        throw .readFailed(path: spelled, code: ELOOP)
    }

    private static func linkDestination(of link: String, spelled: String) throws(KubeconfigStoreError) -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(link, &buffer, buffer.count - 1)
        guard count >= 0 else { throw .readFailed(path: spelled, code: errno) }
        let destination = String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return destination.hasPrefix("/") ? destination : joinPath(splitPath(link).directory, destination)
    }
}
