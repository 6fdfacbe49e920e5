#if canImport(Glibc)
import Glibc
#endif

/// Writing to the terminal without touching the `stdout`/`stderr` globals, which Swift 6 flags as unsafe.
enum Terminal {
    static func printError(_ line: String) {
        var bytes = Array((line + "\n").utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { return }
            bytes = bytes.dropFirst(written)
        }
    }
}
