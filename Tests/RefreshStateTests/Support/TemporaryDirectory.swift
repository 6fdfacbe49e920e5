import Foundation
import Glibc

/// A fresh directory under `$TMPDIR` for one test, removed with everything in it at the end.
struct TemporaryDirectory: ~Copyable {
    let path: String

    init() throws {
        var template = Array((NSTemporaryDirectory() + "/refresh-state-test-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        path = String(cString: made)
    }

    func file(_ relativePath: String) -> String {
        path + "/" + relativePath
    }

    /// The names in `relativePath`, hidden ones included, sorted.
    func names(in relativePath: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: file(relativePath)).sorted()
    }

    /// The permission bits of a file or directory.
    func mode(of relativePath: String) -> mode_t {
        var status = stat()
        return stat(file(relativePath), &status) == 0 ? status.st_mode & 0o7777 : 0
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}
