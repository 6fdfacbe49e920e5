import Foundation
import Glibc
import Testing

/// A file's content and identity at one moment, to show that a command did not touch it.
///
/// Its test description gives sizes and identity only, so a failed comparison never prints key material.
struct FileSnapshot: Equatable, CustomTestStringConvertible {
    let bytes: [UInt8]
    let inode: UInt
    let modificationSeconds: Int
    let modificationNanoseconds: Int
    let mode: mode_t

    /// The file `path` points to (symlinks followed).
    init(_ path: String) throws {
        var status = stat()
        try #require(stat(path, &status) == 0, "stat \(path): errno \(errno)")
        bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        inode = UInt(status.st_ino)
        modificationSeconds = status.st_mtim.tv_sec
        modificationNanoseconds = status.st_mtim.tv_nsec
        mode = status.st_mode & 0o7777
    }

    var testDescription: String {
        "\(bytes.count) bytes, inode \(inode), mtime \(modificationSeconds).\(modificationNanoseconds), mode \(String(mode, radix: 8))"
    }
}

/// Whether `path` itself is a symlink.
func isSymbolicLink(_ path: String) -> Bool {
    var status = stat()
    return lstat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFLNK
}

/// The mode bits of the file or directory `path` points to.
func permissions(_ path: String) throws -> mode_t {
    var status = stat()
    try #require(stat(path, &status) == 0, "stat \(path): errno \(errno)")
    return status.st_mode & 0o7777
}

/// Whether anything, even a dangling symlink, exists at `path`.
func exists(_ path: String) -> Bool {
    var status = stat()
    return lstat(path, &status) == 0
}

/// True when every line of `original` appears in `changed`, in the same order (others may sit between them).
func keepsEveryLineInOrder(_ original: [UInt8], in changed: [UInt8]) -> Bool {
    var remaining = changed.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)[...]
    for line in original.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
        guard let index = remaining.firstIndex(of: line) else { return false }
        remaining = remaining[(index + 1)...]
    }
    return true
}
