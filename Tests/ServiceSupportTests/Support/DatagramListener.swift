import Foundation
import Glibc

/// A bound `AF_UNIX` datagram socket standing in for systemd's notify socket: a file in a fresh
/// temporary directory, or a unique abstract name.
final class DatagramListener: Sendable {
    /// The value to put in `$NOTIFY_SOCKET`.
    let notifySocket: String
    private let socket: Int32
    private let directory: URL?

    enum Kind {
        case path
        case abstract
    }

    init(_ kind: Kind) throws {
        socket = Glibc.socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard socket >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno)!) }
        var bytes: [UInt8]
        switch kind {
        case .path:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("notify-\(UUID().uuidString.prefix(8))")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false)
            self.directory = directory
            notifySocket = directory.appendingPathComponent("notify").path
            bytes = Array(notifySocket.utf8) + [0]
        case .abstract:
            directory = nil
            notifySocket = "@cce-kubeconfigd-test-\(UUID().uuidString)"
            bytes = Array(notifySocket.utf8)
            bytes[0] = 0
        }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let length = socklen_t(MemoryLayout<sockaddr_un>.offset(of: \.sun_path)! + bytes.count)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) }
        }
        guard bound == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno)!) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit {
        close(socket)
        if let directory { try? FileManager.default.removeItem(at: directory) }
    }

    /// The next datagram's exact bytes as text, or `nil` after five seconds without one.
    func receive() -> String? {
        var buffer = [UInt8](repeating: 0, count: 8192)
        let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
        guard count >= 0 else { return nil }
        return String(decoding: buffer[..<count], as: UTF8.self)
    }

    /// Whether a datagram is waiting, without waiting for one.
    var hasPendingDatagram: Bool {
        var byte: UInt8 = 0
        return recv(socket, &byte, 1, Int32(MSG_DONTWAIT | MSG_PEEK)) >= 0
    }
}
