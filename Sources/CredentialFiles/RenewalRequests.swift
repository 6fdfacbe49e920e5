import Glibc
import Kubeconfig
import KubeconfigStore

/// How `credential N` asks the running service to renew cluster N now: an empty file named
/// after N in `<state directory>/renewal-requests/`, which the service watches (inotify), takes
/// (removes) and turns into a renewal of that one cluster. A file, not a socket: the state
/// directory's mode keeps other users out, no path length limit applies, and a request made
/// while the service was busy waits for it.
package struct RenewalRequests: Sendable, Hashable {
    package static let directoryName = "renewal-requests"

    /// The directory watched.
    package var directory: String

    package init(stateDirectory: String) {
        directory = stateDirectory.hasSuffix("/") ? stateDirectory + Self.directoryName : stateDirectory + "/" + Self.directoryName
    }

    /// Asks for a renewal of `watchName`.
    ///
    /// - Throws: ``CredentialFileError/writeFailed(watchName:reason:)`` when the request cannot be written.
    package func request(_ watchName: String) throws(CredentialFileError) {
        if mkdir(directory, 0o700) != 0, errno != EEXIST {
            throw .writeFailed(
                watchName: watchName,
                reason: "cannot create \(directory) to ask the running service for a renewal: \(FileErrorReason.text(for: errno))."
            )
        }
        let path = directory + "/" + watchName
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else {
            throw .writeFailed(
                watchName: watchName,
                reason: "cannot write \(path) to ask the running service for a renewal: \(FileErrorReason.text(for: errno))."
            )
        }
        close(fd)
    }

    /// The watch names asked for since the last call, each request removed as it is taken;
    /// names that are no watch names are removed and left out.
    package func take() -> [String] {
        guard let stream = opendir(directory) else { return [] }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard name != ".", name != "..", unlink(directory + "/" + name) == 0 else { continue }
            if WatchName.isValid(name) { names.append(name) }
        }
        return names.sorted()
    }
}
