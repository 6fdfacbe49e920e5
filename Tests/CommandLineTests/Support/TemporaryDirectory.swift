import Foundation
import Glibc
import Testing

/// A directory of its own for one test, removed when the test is done.
///
/// Every command a test runs uses it as `HOME` too (see ``CommandRunner``), so a test that forgot
/// `--kubeconfig` would write here and never to the developer's own `~/.kube/config`.
struct TemporaryDirectory: Sendable {
    let path: String

    /// Runs `body` with a fresh directory under the system temp dir, then removes the directory.
    static func with<Result>(_ body: (TemporaryDirectory) throws -> Result) throws -> Result {
        var template = Array("\(FileManager.default.temporaryDirectory.path)/cce-kubeconfigd-cli-XXXXXX".utf8CString)
        let created = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        let path = try #require(created.map { String(cString: $0) }, "mkdtemp failed: errno \(errno)")
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try body(TemporaryDirectory(path: path))
    }

    /// The same for an `async` body.
    static func with<Result>(_ body: (TemporaryDirectory) async throws -> Result) async throws -> Result {
        var template = Array("\(FileManager.default.temporaryDirectory.path)/cce-kubeconfigd-cli-XXXXXX".utf8CString)
        let created = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        let path = try #require(created.map { String(cString: $0) }, "mkdtemp failed: errno \(errno)")
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try await body(TemporaryDirectory(path: path))
    }

    /// The absolute path of `name` inside the directory.
    func file(_ name: String) -> String {
        path + "/" + name
    }

    /// Copies a committed fixture (path relative to the repository) to `name`, mode 0600; returns the new path.
    @discardableResult
    func copy(fixture: String, to name: String) throws -> String {
        let destination = file(name)
        try write(try Fixtures.bytes(fixture), to: name)
        return destination
    }

    /// Writes `bytes` to `name` with `mode`; returns the path.
    @discardableResult
    func write(_ bytes: [UInt8], to name: String, mode: mode_t = 0o600) throws -> String {
        let destination = file(name)
        try Data(bytes).write(to: URL(fileURLWithPath: destination))
        try #require(chmod(destination, mode) == 0, "chmod \(destination): errno \(errno)")
        return destination
    }

    /// The names in the directory, hidden ones included.
    func entries() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: path).sorted()
    }

    /// Names the tool must never leave behind: its lock files and temporary files.
    func leftovers() throws -> [String] {
        try entries().filter { $0.hasSuffix(".lock") || $0.hasSuffix(".tmp") }
    }
}
