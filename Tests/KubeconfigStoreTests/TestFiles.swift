import Foundation
import Glibc
import TestSupport
import Testing

/// A fresh directory under the system temp dir, removed when `body` returns; `body` gets its path.
func withTemporaryDirectory(_ body: (String) throws -> Void) throws {
    try TemporaryDirectory.with { try body($0.path) }
}

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

func writeFile(_ path: String, _ text: String, mode: mode_t = 0o600) throws {
    let fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, mode)
    try #require(fd >= 0, "open \(path): errno \(errno)")
    defer { close(fd) }
    let written = text.utf8CString.withUnsafeBufferPointer { write(fd, $0.baseAddress, $0.count - 1) }
    try #require(written == text.utf8.count)
    try #require(fchmod(fd, mode) == 0)
}

func contents(_ path: String) -> String? {
    FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
}

func status(_ path: String) throws -> stat {
    var result = stat()
    try #require(lstat(path, &result) == 0, "lstat \(path): errno \(errno)")
    return result
}

func exists(_ path: String) -> Bool {
    var result = stat()
    return lstat(path, &result) == 0
}

func permissions(_ path: String) throws -> mode_t {
    try status(path).st_mode & 0o7777
}

func setModificationTime(_ path: String, secondsSinceEpoch: Int) throws {
    let time = timespec(tv_sec: secondsSinceEpoch, tv_nsec: 0)
    let times = [time, time]
    try #require(utimensat(AT_FDCWD, path, times, AT_SYMLINK_NOFOLLOW) == 0)
}

func directoryEntries(_ path: String) throws -> Set<String> {
    Set(try FileManager.default.contentsOfDirectory(atPath: path))
}

/// The id of a process that has exited and been reaped, so `kill(pid, 0)` fails with ESRCH.
func exitedProcessID() throws -> Int32 {
    let process = try CommandRunner(home: NSTemporaryDirectory()).start("/bin/true", [])
    _ = try process.wait(timeout: .seconds(60))
    let pid = process.processIdentifier
    try #require(kill(pid, 0) == -1 && errno == ESRCH)
    return pid
}

let bootID = (contents("/proc/sys/kernel/random/boot_id") ?? "")
    .trimmingCharacters(in: .whitespacesAndNewlines)

/// Writes the line cce-kubeconfigd puts into its own lock files.
func writeDaemonLock(_ path: String, pid: Int32, boot: String = bootID) throws {
    try writeFile(path, "cce-kubeconfigd pid=\(pid) boot=\(boot)\n")
}

/// A lock file as kubectl leaves it: empty, mode 0.
func writeKubectlLock(_ path: String) throws {
    try writeFile(path, "", mode: 0)
}

struct TransformFailure: Error, Equatable {}
