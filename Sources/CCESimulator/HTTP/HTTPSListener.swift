import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// Binds HTTPS (HTTP/1.1 over TLS) listeners on loopback addresses, and the plain HTTP one of
/// the control endpoint.
enum HTTPSListener {
    /// Listens on `host` at an ephemeral port and answers with `responder`; over TLS unless
    /// `tlsConfiguration` is `nil`.
    ///
    /// - Returns: The listening channel; its `localAddress` has the port, and closing it stops
    ///   accepting (open connections are the registry's to close).
    static func bind(
        host: String,
        tlsConfiguration: TLSConfiguration?,
        responder: any HTTPResponder,
        connections: ConnectionRegistry
    ) async throws -> any Channel {
        let sslContext = try tlsConfiguration.map(NIOSSLContext.init(configuration:))
        return try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                connections.add(channel)
                return channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    if let sslContext {
                        try pipeline.addHandler(NIOSSLServerHandler(context: sslContext))
                    }
                    try pipeline.configureHTTPServerPipeline(withPipeliningAssistance: false, withErrorHandling: true)
                    try pipeline.addHandler(HTTPExchangeHandler(responder: responder))
                }
            }
            .bind(host: host, port: 0)
            .get()
    }
}
