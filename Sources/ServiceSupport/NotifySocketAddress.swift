import Glibc

/// Where `$NOTIFY_SOCKET` points: a socket file, or a name in Linux's abstract namespace.
///
/// systemd sets an absolute path (`/run/user/1000/systemd/notify`); an `@` prefix names an
/// abstract socket, which `sun_path` spells with a leading NUL. Anything else is refused, as
/// sd_notify(3) does: a relative path would depend on the working directory, and `vsock:`
/// addresses belong to virtual machines, not to user services.
package struct NotifySocketAddress: Sendable, Hashable, CustomStringConvertible {
    /// `sun_path` as sent: for an abstract name the leading NUL and the name, nothing after it
    /// (trailing NULs would be part of the name); for a path, without its terminating NUL.
    let pathBytes: [UInt8]

    /// `nil` when `value` is not an absolute path or an `@name`, or does not fit `sun_path`.
    package init?(_ value: String) {
        let capacity = MemoryLayout.size(ofValue: sockaddr_un().sun_path)
        var bytes = Array(value.utf8)
        switch bytes.first {
        case UInt8(ascii: "/"):
            guard bytes.count < capacity, !bytes.contains(0) else { return nil }
        case UInt8(ascii: "@"):
            bytes[0] = 0
            guard bytes.count > 1, bytes.count <= capacity else { return nil }
        default:
            return nil
        }
        pathBytes = bytes
    }

    /// The address as `$NOTIFY_SOCKET` spells it, with `@` for the abstract namespace.
    package var description: String {
        pathBytes.first == 0 ? "@" + String(decoding: pathBytes.dropFirst(), as: UTF8.self) : String(decoding: pathBytes, as: UTF8.self)
    }

    /// Calls `body` with the `sockaddr_un` and its exact length, which for an abstract name must
    /// end where the name does.
    func withSocketAddress<Result>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> Result) -> Result {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: pathBytes) }
        let isPath = pathBytes.first != 0
        let length = MemoryLayout<sockaddr_un>.offset(of: \.sun_path)! + pathBytes.count + (isPath ? 1 : 0)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(length)) }
        }
    }
}
