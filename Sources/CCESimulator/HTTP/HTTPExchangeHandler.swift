import NIOCore
import NIOHTTP1
import NIOSSL

/// Collects each request on a connection, has an ``HTTPResponder`` answer it, and writes the
/// answer, in whichever broken way a ``SimulatedResponse`` asks for.
///
/// One instance per connection, used on its event loop only. The connection is read all the
/// time, even while an answer is pending or never comes (``SimulatedResponse/hang``), so a
/// client's TLS `close_notify` is seen and answered at once; NIO's pipelining handler would stop
/// reading instead, and a client giving up on a hang would wait its whole TLS shutdown timeout.
/// Requests that arrive while an answer is pending wait for their turn.
final class HTTPExchangeHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    /// Bodies beyond this are refused with 413: the simulated APIs take a few hundred bytes.
    static let maximumRequestBodySize = 1 << 20

    private struct Received {
        var request: SimulatedRequest
        var keepAlive: Bool
    }

    private let responder: any HTTPResponder
    /// The request being read: its head and the body so far.
    private var receiving: (head: HTTPRequestHead, body: ByteBuffer)?
    /// Whether an answer is being computed or written.
    private var isResponding = false
    /// Complete requests waiting for the answer in progress.
    private var waiting: [Received] = []
    /// Set once the connection is to close: nothing more is read or answered.
    private var isClosing = false
    /// Cleared when the connection has closed; an answer computed after that is dropped.
    private var isOpen = true

    init(responder: any HTTPResponder) {
        self.responder = responder
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !isClosing else { return }
        switch unwrapInboundIn(data) {
        case .head(let head):
            receiving = (head, context.channel.allocator.buffer(capacity: 0))
        case .body(var chunk):
            guard var request = receiving else { return }
            // Taken out while it grows, so that the buffer is not shared and copied.
            receiving = nil
            guard request.body.readableBytes + chunk.readableBytes <= Self.maximumRequestBodySize else {
                isClosing = true
                waiting.removeAll()
                if !isResponding {
                    send(.complete(status: .payloadTooLarge, headers: [:], body: []), keepAlive: false, context: context)
                }
                return
            }
            request.body.writeBuffer(&chunk)
            receiving = request
        case .end:
            guard let (head, body) = receiving else { return }
            receiving = nil
            let received = Received(
                request: SimulatedRequest(
                    method: head.method,
                    target: head.uri,
                    headers: head.headers,
                    body: Array(body.readableBytesView),
                    clientCertificateSerial: Self.clientCertificateSerial(context)
                ),
                keepAlive: head.isKeepAlive
            )
            if isResponding {
                waiting.append(received)
            } else {
                respond(to: received, context: context)
            }
        }
    }

    /// The serial of the client certificate the connection's TLS handshake was made with.
    private static func clientCertificateSerial(_ context: ChannelHandlerContext) -> String? {
        let tls = try? context.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self)
        return tls?.peerCertificate.map { certificate in
            certificate.serialNumber.map { byte in (byte < 16 ? "0" : "") + String(byte, radix: 16) }.joined()
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        isOpen = false
        context.fireChannelInactive()
    }

    /// TLS handshake failures and broken requests end the connection; there is nobody to tell.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private func respond(to received: Received, context: ChannelHandlerContext) {
        isResponding = true
        let responder = self.responder
        let request = received.request
        let answer = context.eventLoop.makePromise(of: SimulatedResponse.self)
        answer.completeWithTask { await responder.respond(to: request) }
        answer.futureResult.assumeIsolated().whenSuccess { response in
            self.send(response, keepAlive: received.keepAlive && !self.isClosing, context: context)
        }
    }

    private func send(_ response: SimulatedResponse, keepAlive: Bool, context: ChannelHandlerContext) {
        guard isOpen else { return }
        switch response {
        case .complete(let status, var headers, let body):
            headers.replaceOrAdd(name: "Content-Length", value: String(body.count))
            writeHead(status: status, headers: headers, keepAlive: keepAlive, context: context)
            if !body.isEmpty {
                context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body)))), promise: nil)
            }
            end(keepAlive: keepAlive, context: context)
        case .truncated(let status, var headers, let body, let sentBytes):
            headers.replaceOrAdd(name: "Content-Length", value: String(body.count))
            writeHead(status: status, headers: headers, keepAlive: false, context: context)
            let sent = context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body.prefix(sentBytes))))))
            isClosing = true
            sent.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        case .streamed(let status, var headers, let body, let chunkSize):
            headers.remove(name: "Content-Length")
            writeHead(status: status, headers: headers, keepAlive: keepAlive, context: context)
            writeChunks(body[...], chunkSize: chunkSize, keepAlive: keepAlive, context: context)
        case .hang:
            break
        }
    }

    private func writeHead(status: HTTPResponseStatus, headers: HTTPHeaders, keepAlive: Bool, context: ChannelHandlerContext) {
        var headers = headers
        if !keepAlive {
            headers.replaceOrAdd(name: "Connection", value: "close")
        }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
    }

    /// Writes the next chunk once the previous one has gone out, so a 2 MiB body is never
    /// queued whole and a client that hangs up stops it.
    private func writeChunks(_ remaining: ArraySlice<UInt8>, chunkSize: Int, keepAlive: Bool, context: ChannelHandlerContext) {
        guard isOpen else { return }
        guard !remaining.isEmpty else {
            end(keepAlive: keepAlive, context: context)
            return
        }
        let chunk = remaining.prefix(chunkSize)
        let written = context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: chunk)))))
        written.assumeIsolated().whenSuccess {
            self.writeChunks(remaining.dropFirst(chunk.count), chunkSize: chunkSize, keepAlive: keepAlive, context: context)
        }
    }

    /// Ends the answer, then closes the connection or answers the next waiting request.
    private func end(keepAlive: Bool, context: ChannelHandlerContext) {
        let ended = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        isResponding = false
        guard keepAlive else {
            isClosing = true
            ended.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
            return
        }
        if !waiting.isEmpty {
            respond(to: waiting.removeFirst(), context: context)
        }
    }
}
