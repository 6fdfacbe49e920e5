import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

/// An HTTP/1.1 server on 127.0.0.1 (plain, or TLS) that answers each request the way a test scripts
/// it, and records what it received and how much of a streamed body it managed to send.
final class TestServer: Sendable {
    /// How to answer one request.
    enum Reply: Sendable {
        /// A complete answer with `Content-Length`.
        case answer(status: Int, headers: [(String, String)] = [], body: [UInt8] = [])
        /// A `Content-Length` of `declaredLength`, then only `body`, then the connection is closed.
        case truncated(declaredLength: Int, body: [UInt8])
        /// 200 with a chunked body of `total` bytes of JSON-ish filler, written `chunk` bytes at a time
        /// as fast as the client reads.
        case stream(total: Int, chunk: Int)
        /// Nothing at all, until the client gives up.
        case hang
        /// The status line and headers of a 200 with a body that never comes.
        case headThenHang

        static func json(_ status: Int, _ text: String, headers: [(String, String)] = []) -> Reply {
            .answer(status: status, headers: [("Content-Type", "application/json")] + headers, body: Array(text.utf8))
        }
    }

    /// One request as received.
    struct Request: Sendable {
        var method: HTTPMethod
        var uri: String
        var headers: HTTPHeaders
        var body: [UInt8]
    }

    private struct State {
        var requests: [Request] = []
        var streamedBytes = 0
        var streamAborted = false
    }

    let port: Int
    private let state = Mutex(State())

    private init(port: Int) {
        self.port = port
    }

    /// `http://127.0.0.1:<port>`, or `https://` when the server runs TLS.
    func url(tls: Bool = false) -> String {
        "\(tls ? "https" : "http")://127.0.0.1:\(port)"
    }

    /// Every request received so far, in order.
    var requests: [Request] {
        state.withLock { $0.requests }
    }

    /// How many bytes of a ``Reply/stream(total:chunk:)`` body the kernel accepted (the client read
    /// them, or they wait in the two sockets' buffers) before the client hung up.
    var streamedBytes: Int {
        state.withLock { $0.streamedBytes }
    }

    /// Whether a streamed body ended because the client closed the connection.
    var streamAborted: Bool {
        state.withLock { $0.streamAborted }
    }

    /// Runs `body` with a server answering with `reply`, and stops the server afterwards.
    static func run<Result: Sendable>(
        tls: TLSConfiguration? = nil,
        reply: @escaping @Sendable (Request) -> Reply,
        _ body: (TestServer) async throws -> Result
    ) async throws -> Result {
        let sslContext = try tls.map { try NIOSSLContext(configuration: $0) }
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let sslContext {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: sslContext))
                    }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    return try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(wrappingChannelSynchronously: channel)
                }
            }
        let server = TestServer(port: listener.channel.localAddress?.port ?? 0)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await listener.executeThenClose { connections in
                    await withDiscardingTaskGroup { handlers in
                        do {
                            for try await connection in connections {
                                handlers.addTask { await server.serve(connection, reply: reply) }
                            }
                        } catch {
                            // The listener closed: the test is over.
                        }
                    }
                }
            }
            defer { group.cancelAll() }
            return try await body(server)
        }
    }

    private func serve(_ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>, reply: @Sendable (Request) -> Reply)
        async
    {
        try? await connection.executeThenClose { inbound, outbound in
            var head: HTTPRequestHead?
            var body: [UInt8] = []
            for try await part in inbound {
                switch part {
                case .head(let received):
                    head = received
                    body = []
                case .body(let buffer):
                    body += Array(buffer: buffer)
                case .end:
                    guard let head else { continue }
                    let request = Request(method: head.method, uri: head.uri, headers: head.headers, body: body)
                    state.withLock { $0.requests.append(request) }
                    guard try await respond(reply(request), to: head, outbound, on: connection.channel) else { return }
                }
            }
        }
    }

    /// Sends `reply`; `false` when the connection must be closed afterwards.
    private func respond(
        _ reply: Reply,
        to request: HTTPRequestHead,
        _ outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>,
        on channel: any Channel
    ) async throws -> Bool {
        func head(_ status: Int, _ headers: [(String, String)]) -> HTTPServerResponsePart {
            .head(HTTPResponseHead(version: request.version, status: HTTPResponseStatus(statusCode: status), headers: HTTPHeaders(headers)))
        }
        switch reply {
        case .answer(let status, let headers, let body):
            try await outbound.write(head(status, headers + [("Content-Length", "\(body.count)")]))
            try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: body))))
            try await outbound.write(.end(nil))
            return true
        case .truncated(let declaredLength, let body):
            try await outbound.write(head(200, [("Content-Type", "application/json"), ("Content-Length", "\(declaredLength)")]))
            try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: body))))
            return false
        case .stream(let total, let chunk):
            // Written on the channel and awaited, so a write completes only once the kernel took
            // it: the count then bounds what the client read, give or take the socket buffers.
            try await channel.writeAndFlush(head(200, [("Content-Type", "application/json")])).get()
            let filler = ByteBuffer(repeating: UInt8(ascii: " "), count: chunk)
            var sent = 0
            while sent < total {
                do {
                    try await channel.writeAndFlush(HTTPServerResponsePart.body(.byteBuffer(filler))).get()
                } catch {
                    state.withLock { $0.streamAborted = true }
                    return false
                }
                sent += chunk
                state.withLock { $0.streamedBytes = sent }
            }
            try await channel.writeAndFlush(HTTPServerResponsePart.end(nil)).get()
            return false
        case .hang:
            try await Task.sleep(for: .seconds(3600))
            return false
        case .headThenHang:
            try await outbound.write(head(200, [("Content-Type", "application/json"), ("Content-Length", "1000")]))
            try await Task.sleep(for: .seconds(3600))
            return false
        }
    }
}
