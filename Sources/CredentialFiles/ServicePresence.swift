import Glibc

/// Whether the service (`run`) is running for this user: it holds `<state directory>/service.lock`
/// locked for as long as it runs, and `credential N` then leaves fetching to it. The lock goes
/// with the process, so a killed service never looks alive.
public struct ServicePresence: Sendable, Hashable {
    public static let fileName = "service.lock"

    public var path: String

    public init(stateDirectory: String) {
        path = stateDirectory.hasSuffix("/") ? stateDirectory + Self.fileName : stateDirectory + "/" + Self.fileName
    }

    /// Whether a running service holds the lock.
    public var isRunning: Bool { FileLock.isHeld(path) }

    /// Takes the lock for the life of the returned lease (the service's whole run); `nil` when
    /// another service already holds it.
    public func hold() throws(ServicePresenceError) -> ServiceLease? {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw ServicePresenceError(path: path, code: errno) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            close(fd)
            if code == EWOULDBLOCK { return nil }
            throw ServicePresenceError(path: path, code: code)
        }
        return ServiceLease(descriptor: fd)
    }
}

/// The service's hold on ``ServicePresence``; released when the lease is dropped.
public final class ServiceLease: Sendable {
    private let descriptor: Int32

    fileprivate init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }
}

/// The lock file of ``ServicePresence`` could not be made or locked.
public struct ServicePresenceError: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var code: Int32

    public var description: String { "cannot lock \(path): \(String(cString: strerror(code)))." }
}
