import Glibc

/// An open file descriptor that is closed when it goes out of scope, so no error path can leak one.
struct FileDescriptor: ~Copyable {
    let rawValue: Int32

    private init(rawValue: Int32) {
        self.rawValue = rawValue
    }

    /// `open(2)`; O_CLOEXEC is always added so a child of the daemon never inherits a kubeconfig or a lock.
    static func open(_ path: String, _ flags: Int32, mode: mode_t = 0) throws(SystemError) -> FileDescriptor {
        let fd = retryingInterrupts { Glibc.open(path, flags | O_CLOEXEC, mode) }
        guard fd >= 0 else { throw SystemError.current }
        return FileDescriptor(rawValue: fd)
    }

    func status() throws(SystemError) -> stat {
        var status = stat()
        guard fstat(rawValue, &status) == 0 else { throw SystemError.current }
        return status
    }

    /// Reads to the end of the file.
    func readAll() throws(SystemError) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { buffer in
                retryingInterrupts { Glibc.read(rawValue, buffer.baseAddress, buffer.count) }
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
                retryingInterrupts { Glibc.write(rawValue, buffer.baseAddress! + offset, buffer.count - offset) }
            }
            guard count >= 0 else { throw SystemError.current }
            offset += count
        }
    }

    func setMode(_ mode: mode_t) throws(SystemError) {
        guard fchmod(rawValue, mode) == 0 else { throw SystemError.current }
    }

    func setOwner(user: uid_t, group: gid_t) throws(SystemError) {
        guard fchown(rawValue, user, group) == 0 else { throw SystemError.current }
    }

    func sync() throws(SystemError) {
        guard retryingInterrupts({ fsync(rawValue) }) == 0 else { throw SystemError.current }
    }

    deinit {
        close(rawValue)
    }
}
