import KubeconfigStore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The daemon's state on disk: one JSON file, `$XDG_STATE_HOME/cce-kubeconfigd/state.json`.
///
/// Replaced atomically (temporary file in the same directory, synced, renamed, directory synced),
/// so `status` and a restarted daemon read either the old state or the new one, even after a
/// `kill -9` or a power cut. Private to its user: the file is 0600 and a directory made for it 0700.
package struct StateFile: Sendable, Hashable {
    /// The file name inside the state directory.
    package static let fileName = "state.json"
    /// The directory under `$XDG_STATE_HOME`.
    package static let directoryName = "cce-kubeconfigd"

    package var path: String

    /// The directory the file is in: the state directory, which the failure record shares.
    package var directory: String {
        String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
    }

    package init(path: String) {
        self.path = path
    }

    /// The default path: `$XDG_STATE_HOME/cce-kubeconfigd/state.json`, else
    /// `<home>/.local/state/cce-kubeconfigd/state.json`.
    ///
    /// A relative or empty `$XDG_STATE_HOME` is ignored, as the XDG base directory specification
    /// says: a service's working directory is no place for state.
    package static func defaultPath(environment: [String: String], homeDirectory: String) -> String {
        let base: String
        if let stateHome = environment["XDG_STATE_HOME"], stateHome.hasPrefix("/") {
            base = stateHome
        } else {
            base = joined(homeDirectory, ".local/state")
        }
        return joined(joined(base, directoryName), fileName)
    }

    /// The state as last written; `nil` when there is no file yet (the daemon never ran).
    ///
    /// - Throws: ``StateFileError/corrupt(path:reason:)`` or
    ///   ``StateFileError/unsupportedVersion(path:version:)`` for a file that cannot be used (the
    ///   daemon then starts afresh), ``StateFileError/readFailed(path:code:)`` when it cannot be read.
    package func read() throws(StateFileError) -> RefreshStateSnapshot? {
        let bytes: [UInt8]?
        do throws(KubeconfigStoreError) {
            bytes = try PrivateFile(path: path).read()
        } catch {
            throw StateFileError(error, path: path)
        }
        return try bytes.map(decode)
    }

    /// Replaces the file with `snapshot` (0600), creating the state directory (0700) when it is missing.
    package func write(_ snapshot: RefreshStateSnapshot) throws(StateFileError) {
        do throws(KubeconfigStoreError) {
            try PrivateFile(path: path).replace(with: snapshot.encoded())
        } catch {
            throw StateFileError(error, path: path)
        }
    }

    private func decode(_ bytes: [UInt8]) throws(StateFileError) -> RefreshStateSnapshot {
        let snapshot: RefreshStateSnapshot
        do {
            snapshot = try RefreshStateSnapshot(json: bytes)
        } catch let error as DecodingError {
            throw .corrupt(path: path, reason: Self.explain(error))
        } catch {
            throw .corrupt(path: path, reason: "\(error)")
        }
        guard snapshot.version <= RefreshStateSnapshot.currentVersion else {
            throw .unsupportedVersion(path: path, version: snapshot.version)
        }
        return snapshot
    }

    /// A decoding error in a few words, with the place in the JSON where there is one.
    private static func explain(_ error: DecodingError) -> String {
        func place(_ path: [any CodingKey]) -> String {
            path.isEmpty ? "" : " at \(path.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: "."))"
        }
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return "not JSON"
        case .dataCorrupted(let context):
            return "unreadable value\(place(context.codingPath))"
        case .keyNotFound(let key, let context):
            return "no \"\(key.stringValue)\"\(place(context.codingPath))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "wrong type\(place(context.codingPath))"
        @unknown default:
            return "not a state file"
        }
    }

    private static func joined(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }
}
