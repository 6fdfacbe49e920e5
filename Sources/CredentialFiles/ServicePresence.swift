import Glibc

/// Whether the service (`run`) is running for this user: it holds `<state directory>/service.lock`
/// locked for as long as it runs, and `credential N` then leaves fetching to it. The lock goes
/// with the process, so a killed service never looks alive.
package struct ServicePresence: Sendable, Hashable {
    package static let fileName = "service.lock"

    package var path: String

    package init(stateDirectory: String) {
        path = stateDirectory.hasSuffix("/") ? stateDirectory + Self.fileName : stateDirectory + "/" + Self.fileName
    }

    /// Whether a running service holds the lock.
    package var isRunning: Bool { FileLock.isHeld(path) }

    /// The process id the holding service wrote into the lock file, for a message that says
    /// which process to stop; `nil` when no service holds the lock or the file names none.
    package var holderProcessID: pid_t? {
        guard isRunning else { return nil }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = read(fd, &buffer, buffer.count)
        guard count > 0 else { return nil }
        let text = String(decoding: buffer[..<count], as: UTF8.self).split(separator: "\n").first ?? ""
        return pid_t(text).flatMap { $0 > 0 ? $0 : nil }
    }

    /// Takes the lock for the life of the returned lease (the service's whole run) and writes
    /// this process's id into the file; `nil` when another service already holds it.
    package func hold() throws(ServicePresenceError) -> ServiceLease? {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw ServicePresenceError(path: path, code: errno) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            close(fd)
            if code == EWOULDBLOCK { return nil }
            throw ServicePresenceError(path: path, code: code)
        }
        let line = Array("\(getpid())\n".utf8)
        guard ftruncate(fd, 0) == 0, pwrite(fd, line, line.count, 0) == line.count else {
            let code = errno
            close(fd)
            throw ServicePresenceError(path: path, code: code)
        }
        return ServiceLease(descriptor: fd)
    }
}

/// The service's hold on ``ServicePresence``; released when the lease is dropped.
package final class ServiceLease: Sendable {
    private let descriptor: Int32

    fileprivate init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }
}

/// The lock file of ``ServicePresence`` could not be made or locked.
package struct ServicePresenceError: Error, Sendable, Hashable, CustomStringConvertible {
    package var path: String
    package var code: Int32

    package var description: String { "cannot lock \(path): \(String(cString: strerror(code)))." }
}
