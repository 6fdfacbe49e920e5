import Glibc
import Synchronization

/// Where finished log lines go: one call per event, with the line and no newline.
package struct LogOutput: Sendable {
    private let writeLine: @Sendable (String) -> Void

    /// An output calling `writeLine` for each line; tests collect lines this way.
    package init(_ writeLine: @escaping @Sendable (String) -> Void) {
        self.writeLine = writeLine
    }

    func write(_ line: String) {
        writeLine(line)
    }

    /// Standard error: see ``writing(to:)``.
    package static let standardError = writing(to: STDERR_FILENO)

    /// Unbuffered writes to `fileDescriptor`: each line and its newline in one `write(2)`, under
    /// a lock so lines from concurrent tasks never interleave, even when the kernel takes a line
    /// in parts. A failing write drops the line: logging has nowhere to report it.
    static func writing(to fileDescriptor: Int32) -> LogOutput {
        LogOutput { line in
            let bytes = Array((line + "\n").utf8)
            writeLock.withLock { _ in
                bytes.withUnsafeBytes { buffer in
                    var offset = 0
                    while offset < buffer.count {
                        let written = Glibc.write(fileDescriptor, buffer.baseAddress! + offset, buffer.count - offset)
                        if written > 0 {
                            offset += written
                        } else if written < 0, errno == EINTR {
                            continue
                        } else {
                            return
                        }
                    }
                }
            }
        }
    }

    private static let writeLock = Mutex(())
}
