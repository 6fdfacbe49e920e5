import Glibc

/// An advisory `flock(2)` on a file, held until ``release()`` or deinit; the lock goes with the
/// process, so a killed holder never leaves it behind.
package struct FileLock: ~Copyable {
    package enum Kind {
        case shared, exclusive

        var operation: Int32 { self == .shared ? LOCK_SH : LOCK_EX }
    }

    private let descriptor: Int32
    /// Whether another holder had to be waited for.
    package let waited: Bool

    /// Opens (creating it 0600) and locks `path`, waiting for other holders; throws the errno.
    package init(path: String, kind: Kind) throws(LockError) {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw LockError(code: errno) }
        var waited = false
        while flock(fd, kind.operation | (waited ? 0 : LOCK_NB)) != 0 {
            if errno == EWOULDBLOCK, !waited {
                waited = true
                continue
            }
            guard errno == EINTR else {
                let code = errno
                close(fd)
                throw LockError(code: code)
            }
        }
        descriptor = fd
        self.waited = waited
    }

    /// Whether some process holds `path` locked exclusively (or shared) now; a missing file is unheld.
    package static func isHeld(_ path: String) -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        guard flock(fd, LOCK_SH | LOCK_NB) == 0 else { return errno == EWOULDBLOCK }
        return false
    }

    package consuming func release() {}

    deinit {
        close(descriptor)
    }

    package struct LockError: Error {
        package var code: Int32
    }
}
