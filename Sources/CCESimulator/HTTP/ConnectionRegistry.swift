import NIOCore
import Synchronization

/// Every open connection of the simulator's listeners, so that shutdown can close the ones a
/// ``Fault/hang`` or a keep-alive client would otherwise keep open.
final class ConnectionRegistry: Sendable {
    private struct Connections {
        var open: [ObjectIdentifier: any Channel] = [:]
        var isClosed = false
    }

    private let connections = Mutex(Connections())

    /// Tracks `channel` until it closes; after ``closeAll()`` it is closed at once.
    func add(_ channel: any Channel) {
        let accepted = connections.withLock { connections in
            guard !connections.isClosed else { return false }
            connections.open[ObjectIdentifier(channel)] = channel
            return true
        }
        guard accepted else {
            channel.close(promise: nil)
            return
        }
        channel.closeFuture.whenComplete { _ in
            self.connections.withLock { _ = $0.open.removeValue(forKey: ObjectIdentifier(channel)) }
        }
    }

    /// Closes every connection and refuses new ones.
    func closeAll() async {
        let open = connections.withLock { connections in
            connections.isClosed = true
            return Array(connections.open.values)
        }
        for channel in open {
            try? await channel.close()
        }
    }
}
