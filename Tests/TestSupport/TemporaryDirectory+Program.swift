import Foundation
import Glibc

extension TemporaryDirectory {
    /// Writes an executable script (`#!/bin/sh` and `body`) to `name`; returns its path.
    ///
    /// The file is written through a descriptor opened with `O_CLOEXEC`: a child that another
    /// test spawns meanwhile must not inherit it open for writing, or executing the script fails
    /// with ETXTBSY for as long as that child runs.
    @discardableResult
    package func writeProgram(_ body: String, to name: String) throws -> String {
        let destination = file(name)
        try FileManager.default.createDirectory(
            atPath: (destination as NSString).deletingLastPathComponent,
            withIntermediateDirectories: true
        )
        let descriptor = Glibc.open(destination, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o700)
        guard descriptor >= 0 else { throw TestSupportFailure("open \(destination): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        let bytes = Array("#!/bin/sh\n\(body)\n".utf8)
        guard bytes.withUnsafeBytes({ Glibc.write(descriptor, $0.baseAddress, $0.count) }) == bytes.count else {
            throw TestSupportFailure("write \(destination): \(String(cString: strerror(errno)))")
        }
        return destination
    }
}
