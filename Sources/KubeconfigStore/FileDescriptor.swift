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

    /// Reads to the end of the file. `expectedSize` (from `fstat`) sizes the buffer once, so a
    /// large file is read with no regrowing and no chunk copies; the file may still turn out
    /// longer (it is then read on in chunks) or shorter.
    func readAll(expectedSize: Int = 0) throws(SystemError) -> [UInt8] {
        // One byte more than expected, so that the end is seen without another buffer.
        let capacity = max(expectedSize, 0) + 1
        var failure: SystemError?
        var bytes = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, initialized in
            while initialized < buffer.count {
                let count = retryingInterrupts { Glibc.read(rawValue, buffer.baseAddress! + initialized, buffer.count - initialized) }
                guard count > 0 else {
                    if count < 0 { failure = .current }
                    return
                }
                initialized += count
            }
        }
        if let failure { throw failure }
        guard bytes.count == capacity else { return bytes }
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = try read(into: &chunk)
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[..<count])
        }
    }

    /// Whether the rest of the file holds exactly `expected`, read in chunks: a comparison under
    /// the lock needs no second copy of a large file.
    func holds(_ expected: [UInt8]) throws(SystemError) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 256 * 1024)
        var offset = 0
        while true {
            let count = try read(into: &chunk)
            if count == 0 { return offset == expected.count }
            guard offset + count <= expected.count else { return false }
            // count > 0 and fits in `expected`, so neither buffer is empty here.
            let same = chunk.withUnsafeBytes { read in
                expected.withUnsafeBytes { memcmp(read.baseAddress!, $0.baseAddress! + offset, count) == 0 }
            }
            guard same else { return false }
            offset += count
        }
    }

    /// One `read(2)` into the whole of `chunk`: how many bytes came, 0 at the end of the file.
    private func read(into chunk: inout [UInt8]) throws(SystemError) -> Int {
        let count = chunk.withUnsafeMutableBytes { buffer in
            retryingInterrupts { Glibc.read(rawValue, buffer.baseAddress, buffer.count) }
        }
        guard count >= 0 else { throw SystemError.current }
        return count
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
