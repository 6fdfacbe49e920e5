import Glibc

/// The errno of a failed system call; callers turn it into a ``StateFileError`` naming the state file.
struct SystemError: Error {
    let code: Int32

    static var current: SystemError { SystemError(code: errno) }
}

/// An open file descriptor, closed when it goes out of scope so no error path leaks one.
struct OpenFile: ~Copyable {
    let rawValue: Int32

    /// `open(2)` with O_CLOEXEC, so a child of the daemon never inherits the file.
    init(_ path: String, _ flags: Int32, mode: mode_t = 0) throws(SystemError) {
        let fd = Self.retryingInterrupts { open(path, flags | O_CLOEXEC, mode) }
        guard fd >= 0 else { throw SystemError.current }
        rawValue = fd
    }

    /// Reads to the end of the file.
    func readAll() throws(SystemError) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { buffer in
                Self.retryingInterrupts { read(rawValue, buffer.baseAddress, buffer.count) }
            }
            guard count >= 0 else { throw SystemError.current }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[..<count])
        }
    }

    /// Writes every byte, continuing after short writes.
    func writeAll(_ bytes: [UInt8]) throws(SystemError) {
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeBytes { buffer in
                Self.retryingInterrupts { write(rawValue, buffer.baseAddress! + offset, buffer.count - offset) }
            }
            guard count >= 0 else { throw SystemError.current }
            offset += count
        }
    }

    func setMode(_ mode: mode_t) throws(SystemError) {
        guard fchmod(rawValue, mode) == 0 else { throw SystemError.current }
    }

    func sync() throws(SystemError) {
        guard Self.retryingInterrupts({ fsync(rawValue) }) == 0 else { throw SystemError.current }
    }

    deinit {
        close(rawValue)
    }

    /// Runs a system call again while a signal interrupts it.
    private static func retryingInterrupts<Result: BinaryInteger>(_ call: () -> Result) -> Result {
        while true {
            let result = call()
            if result != -1 || errno != EINTR { return result }
        }
    }
}
