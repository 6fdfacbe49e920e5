import Synchronization

@testable import CCE

/// An in-memory file system for ``CredentialResolver``: path to contents and mode.
final class FakeFiles: Sendable {
    private let files: Mutex<[String: SecretFile]>
    private let reads = Mutex<[String]>([])

    init(_ files: [String: (String, UInt16)] = [:]) {
        self.files = Mutex(files.mapValues { SecretFile(bytes: Array($0.0.utf8), mode: $0.1) })
    }

    /// The paths read, in order.
    var readPaths: [String] {
        reads.withLock { $0 }
    }

    func read(_ path: String) throws(SecretFileError) -> SecretFile? {
        reads.withLock { $0.append(path) }
        if path.hasSuffix("/unreadable") { throw SecretFileError(reason: "Permission denied") }
        return files.withLock { $0[path] }
    }

    func resolver(environment: [String: String] = [:]) -> CredentialResolver {
        CredentialResolver(environment: environment, homeDirectory: "/home/alice") { path throws(SecretFileError) in
            try self.read(path)
        }
    }
}
