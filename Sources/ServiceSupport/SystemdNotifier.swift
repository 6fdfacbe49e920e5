import Glibc

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Sends sd_notify messages to the service manager without libsystemd (sd_notify(3)'s protocol,
/// which systemd asks programs to reimplement rather than link).
///
/// Every ``send(_:)`` opens an `AF_UNIX` datagram socket, sends one datagram to
/// `$NOTIFY_SOCKET` and closes it, as sd_notify does: no descriptor is held between messages and
/// no state is shared, so one notifier may be used from any thread. The kernel attaches the
/// sender's credentials, by which systemd finds the unit (`NotifyAccess=main`).
package struct SystemdNotifier: Sendable {
    /// Where messages go; `nil` when not run by systemd with `Type=notify`, or when
    /// `$NOTIFY_SOCKET` is not an address this supports.
    package let address: NotifySocketAddress?

    /// A send waits at most this long for room in the manager's queue: a manager too busy to
    /// read must not stall the caller's queue (the watchdog ping comes from the scheduler's own).
    static let sendTimeout = timeval(tv_sec: 1, tv_usec: 0)

    /// Reads `$NOTIFY_SOCKET` from `environment`; unset, relative or malformed means no-op.
    package init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        address = environment["NOTIFY_SOCKET"].flatMap(NotifySocketAddress.init)
    }

    /// Whether messages go anywhere at all.
    package var isEnabled: Bool { address != nil }

    /// Sends `message` as one datagram.
    ///
    /// - Returns: `true` if the datagram was handed to the socket; `false` without a socket,
    ///   for a payload over ``NotifyMessage/maximumPayloadSize``, or when sending failed (no
    ///   listener, full queue). A service keeps running either way, so nothing is thrown.
    @discardableResult
    package func send(_ message: NotifyMessage) -> Bool {
        let payload = Array(message.payload.utf8)
        guard let address, payload.count <= NotifyMessage.maximumPayloadSize else { return false }
        let socket = Glibc.socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard socket >= 0 else { return false }
        defer { close(socket) }
        var timeout = Self.sendTimeout
        setsockopt(socket, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        return address.withSocketAddress { socketAddress, length in
            payload.withUnsafeBytes { bytes in
                while true {
                    let sent = sendto(socket, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL), socketAddress, length)
                    if sent >= 0 { return sent == bytes.count }
                    if errno != EINTR { return false }
                }
            }
        }
    }
}
