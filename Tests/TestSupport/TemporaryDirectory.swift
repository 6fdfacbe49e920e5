import Foundation
import Glibc

/// A directory of its own for one test, removed with everything in it when the test is done.
///
/// Every command a test runs through ``CommandRunner`` can use it as `HOME` too, so a test that
/// forgot `--kubeconfig` would write here and never to the developer's own `~/.kube/config`.
package struct TemporaryDirectory: Sendable {
    /// The directory's absolute path.
    package let path: String

    /// Runs `body` with a fresh directory under the system temp dir, then removes the directory.
    package static func with<Result>(_ body: (TemporaryDirectory) throws -> Result) throws -> Result {
        let directory = try make()
        defer { try? FileManager.default.removeItem(atPath: directory.path) }
        return try body(directory)
    }

    /// The same for an `async` body.
    package static func with<Result>(_ body: (TemporaryDirectory) async throws -> Result) async throws -> Result {
        let directory = try make()
        defer { try? FileManager.default.removeItem(atPath: directory.path) }
        return try await body(directory)
    }

    private static func make() throws -> TemporaryDirectory {
        var template = Array("\(FileManager.default.temporaryDirectory.path)/cce-kubeconfigd-test-XXXXXX".utf8CString)
        guard let created = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw TestSupportFailure("mkdtemp failed: \(String(cString: strerror(errno)))")
        }
        return TemporaryDirectory(path: String(cString: created))
    }

    /// The absolute path of `name` (which may hold `/`) inside the directory.
    package func file(_ name: String) -> String {
        path + "/" + name
    }

    /// Writes `bytes` to `name` with `mode`, making the directories above it; returns the path.
    @discardableResult
    package func write(_ bytes: [UInt8], to name: String, mode: mode_t = 0o600) throws -> String {
        let destination = file(name)
        try FileManager.default.createDirectory(
            atPath: (destination as NSString).deletingLastPathComponent,
            withIntermediateDirectories: true
        )
        try Data(bytes).write(to: URL(fileURLWithPath: destination))
        guard chmod(destination, mode) == 0 else {
            throw TestSupportFailure("chmod \(destination): \(String(cString: strerror(errno)))")
        }
        return destination
    }

    /// Writes `text` as UTF-8 to `name` with `mode`; returns the path.
    @discardableResult
    package func write(_ text: String, to name: String, mode: mode_t = 0o600) throws -> String {
        try write(Array(text.utf8), to: name, mode: mode)
    }

    /// Copies a committed fixture (path relative to the repository) to `name`, mode 0600; returns the new path.
    @discardableResult
    package func copy(fixture: String, to name: String) throws -> String {
        try write(try Fixtures.bytes(fixture), to: name)
    }

    /// The names in the directory (or in `relativePath` inside it), hidden ones included, sorted.
    package func entries(in relativePath: String? = nil) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: relativePath.map(file) ?? path).sorted()
    }

    /// Names the tool must never leave behind: its lock files and temporary files.
    package func leftovers() throws -> [String] {
        try entries().filter { $0.hasSuffix(".lock") || $0.hasSuffix(".tmp") }
    }

    /// The permission bits of a file or directory (absolute, or relative to this one), or 0
    /// when it does not exist.
    package func mode(of path: String) -> mode_t {
        (status(of: path)?.st_mode ?? 0) & 0o7777
    }

    /// The inode of a file or directory (absolute, or relative to this one), or 0 when it does
    /// not exist: a replacement by rename changes it.
    package func inode(of path: String) -> ino_t {
        status(of: path)?.st_ino ?? 0
    }

    /// The UTF-8 text of `name` inside the directory.
    package func text(_ name: String) throws -> String {
        try String(contentsOfFile: file(name), encoding: .utf8)
    }

    /// Whether `name` exists inside the directory.
    package func exists(_ name: String) -> Bool {
        FileManager.default.fileExists(atPath: file(name))
    }

    private func status(of path: String) -> stat? {
        var status = stat()
        return stat(path.hasPrefix("/") ? path : file(path), &status) == 0 ? status : nil
    }
}
