import NIOCore
import NIOPosix
import Synchronization

/// An HTTP `CONNECT` proxy on 127.0.0.1 that tunnels every request to one loopback port, whatever
/// host the client asked for, and records the `CONNECT` targets. So a client can be pointed at a
/// name that is never resolved and still reach a test server.
final class TestProxy: Sendable {
    let port: Int
    private let targets = Mutex<[String]>([])

    private init(port: Int) {
        self.port = port
    }

    /// The `host:port` of every `CONNECT` received.
    var connectTargets: [String] {
        targets.withLock { $0 }
    }

    /// Runs `body` with a proxy tunnelling to `127.0.0.1:upstreamPort`.
    static func run<Result: Sendable>(tunnellingTo upstreamPort: Int, _ body: (TestProxy) async throws -> Result) async throws -> Result {
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        let proxy = TestProxy(port: listener.channel.localAddress?.port ?? 0)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await listener.executeThenClose { connections in
                    await withDiscardingTaskGroup { tunnels in
                        do {
                            for try await connection in connections {
                                tunnels.addTask { try? await proxy.tunnel(connection, to: upstreamPort) }
                            }
                        } catch {
                            // The listener closed: the test is over.
                        }
                    }
                }
            }
            defer { group.cancelAll() }
            return try await body(proxy)
        }
    }

    private func tunnel(_ connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>, to upstreamPort: Int) async throws {
        try await connection.executeThenClose { inbound, outbound in
            var fromClient = inbound.makeAsyncIterator()
            var head = ""
            while !head.contains("\r\n\r\n") {
                guard let chunk = try await fromClient.next() else { return }
                head += String(buffer: chunk)
            }
            let requestLine = head.prefix { !$0.isNewline }.split(separator: " ")
            guard requestLine.count == 3, requestLine[0] == "CONNECT" else {
                try await outbound.write(ByteBuffer(string: "HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n"))
                return
            }
            targets.withLock { $0.append(String(requestLine[1])) }

            let upstream = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connect(host: "127.0.0.1", port: upstreamPort) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
            // Everything after the connect runs inside executeThenClose, so that the upstream
            // channel is closed however the tunnel ends (an unclosed NIOAsyncChannel traps).
            try await upstream.executeThenClose { fromServer, toServer in
                try await outbound.write(ByteBuffer(string: "HTTP/1.1 200 Connection established\r\n\r\n"))
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for try await chunk in fromServer {
                            try await outbound.write(chunk)
                        }
                    }
                    while let chunk = try await fromClient.next() {
                        try await toServer.write(chunk)
                    }
                    group.cancelAll()
                }
            }
        }
    }
}
