#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Glibc

/// The daemon's state on disk: one JSON file, `$XDG_STATE_HOME/cce-kubeconfigd/state.json`.
///
/// Replaced atomically (temporary file in the same directory, synced, renamed, directory synced),
/// so `status` and a restarted daemon read either the old state or the new one, even after a
/// `kill -9` or a power cut. Private to its user: the file is 0600 and a directory made for it 0700.
public struct StateFile: Sendable, Hashable {
    /// The file name inside the state directory.
    public static let fileName = "state.json"
    /// The directory under `$XDG_STATE_HOME`.
    public static let directoryName = "cce-kubeconfigd"

    private static let fileMode: mode_t = 0o600
    private static let directoryMode: mode_t = 0o700

    public var path: String

    public init(path: String) {
        self.path = path
    }

    /// The default path: `$XDG_STATE_HOME/cce-kubeconfigd/state.json`, else
    /// `<home>/.local/state/cce-kubeconfigd/state.json`.
    ///
    /// A relative or empty `$XDG_STATE_HOME` is ignored, as the XDG base directory specification
    /// says: a service's working directory is no place for state.
    public static func defaultPath(environment: [String: String], homeDirectory: String) -> String {
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
    public func read() throws(StateFileError) -> RefreshStateSnapshot? {
        let bytes: [UInt8]
        do throws(SystemError) {
            bytes = try OpenFile(path, O_RDONLY).readAll()
        } catch where error.code == ENOENT {
            return nil
        } catch {
            throw .readFailed(path: path, code: error.code)
        }
        return try decode(bytes)
    }

    /// Replaces the file with `snapshot`, creating the state directory (0700) when it is missing.
    public func write(_ snapshot: RefreshStateSnapshot) throws(StateFileError) {
        let bytes = snapshot.encoded()
        let directory = Self.directory(of: path)
        try Self.createDirectory(directory)
        removeAbandonedTemporaryFiles(in: directory)

        let temporaryPath = Self.joined(directory, temporaryFileName(pid: getpid()))
        do throws(SystemError) {
            let file = try OpenFile(temporaryPath, O_CREAT | O_EXCL | O_WRONLY, mode: Self.fileMode)
            // While the file is still empty, and whatever the umask made of the mode above.
            try file.setMode(Self.fileMode)
            try file.writeAll(bytes)
            try file.sync()
            guard rename(temporaryPath, path) == 0 else { throw SystemError.current }
        } catch {
            unlink(temporaryPath)
            throw .writeFailed(path: path, code: error.code)
        }
        do throws(SystemError) {
            try OpenFile(directory, O_RDONLY | O_DIRECTORY).sync()
        } catch where error.code == EINVAL {
            // The file system cannot sync a directory; the rename is as durable as it makes it.
        } catch {
            throw .writeFailed(path: path, code: error.code)
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

    /// Creates `directory` and any missing parent, each 0700 (XDG: "create it with permission
    /// 0700"); one that exists keeps its mode.
    private static func createDirectory(_ directory: String) throws(StateFileError) {
        var status = stat()
        if stat(directory, &status) == 0 { return }
        let parent = Self.directory(of: directory)
        if parent != directory {
            try createDirectory(parent)
        }
        guard mkdir(directory, directoryMode) == 0 || errno == EEXIST else {
            throw .directoryCreationFailed(path: directory, code: errno)
        }
        // The umask may have taken bits the daemon needs; it never adds any.
        chmod(directory, directoryMode)
    }

    /// `.state.json.<pid>.<random>.tmp`: hidden, and telling which process wrote it.
    private func temporaryFileName(pid: pid_t) -> String {
        "\(temporaryPrefix)\(pid).\(String(UInt64.random(in: .min ... .max), radix: 36))\(Self.temporarySuffix)"
    }

    /// Removes temporary files left by a writer that was killed mid-write. Best effort: one
    /// that cannot be removed waits for the next write.
    private func removeAbandonedTemporaryFiles(in directory: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for name in names where name.hasPrefix(temporaryPrefix) && name.hasSuffix(Self.temporarySuffix) {
            let middle = name.dropFirst(temporaryPrefix.count).dropLast(Self.temporarySuffix.count)
            guard let pid = middle.split(separator: ".").first.flatMap({ pid_t($0) }), pid > 0 else { continue }
            if kill(pid, 0) == -1 && errno == ESRCH {
                unlink(Self.joined(directory, name))
            }
        }
    }

    private var temporaryPrefix: String { ".\(Self.lastComponent(of: path))." }
    private static let temporarySuffix = ".tmp"

    private static func joined(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    /// The directory part of a path as spelled (`.` when there is none).
    private static func directory(of path: String) -> String {
        let trimmed = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
        guard let slash = trimmed.lastIndex(of: "/") else { return "." }
        return slash == trimmed.startIndex ? "/" : String(trimmed[..<slash])
    }

    private static func lastComponent(of path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }
}
