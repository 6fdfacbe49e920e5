import AsyncHTTPClient
import Glibc
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The IO edge: sends a ``PreparedRequest`` with async-http-client and returns the answer, read
/// up to ``CCEClient/maximumAnswerSize``.
///
/// One `HTTPClient` per proxy (the proxy is a client-wide setting in async-http-client), made
/// on first use and kept for its connection pool; the trust roots are set per request. TLS
/// certificates are always verified, against the system roots plus a request's CA file.
/// Redirects are not followed: they would carry the authentication headers elsewhere.
actor HTTPTransport {
    private let proxySettings: ProxySettings
    private let connectTimeout: Duration
    private let requestTimeout: Duration
    private var clients: [ProxyServer?: HTTPClient] = [:]
    private var isShutDown = false

    init(proxySettings: ProxySettings, connectTimeout: Duration, requestTimeout: Duration) {
        self.proxySettings = proxySettings
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
    }

    /// Sends `request`, trusting `caFile` in addition to the system roots.
    ///
    /// Connecting (TCP, a proxy's `CONNECT`, TLS) is limited by the connect timeout; everything
    /// from sending to the last body byte by the request timeout. A body larger than the cap is
    /// refused while it streams in: `collect(upTo:)` stops at the cap (or at once when
    /// `Content-Length` says more) and the connection is closed.
    ///
    /// - Throws: a ``ServiceFailure`` of kind network, timeout, invalid response (too large, cut
    ///   short), configuration (CA file) or cancelled. HTTP error statuses are answers, not failures.
    nonisolated func send(_ request: PreparedRequest, trusting caFile: String?) async throws(ServiceFailure) -> HTTPAnswer {
        var outgoing = HTTPClientRequest(url: request.url.absoluteString)
        outgoing.method = request.method
        outgoing.headers = request.headers
        if !request.body.isEmpty {
            outgoing.body = .bytes(ByteBuffer(bytes: request.body))
        }
        outgoing.tlsConfiguration = try Self.tlsConfiguration(trusting: caFile)
        guard let client = await client(for: proxySettings.proxy(for: request.url)) else {
            throw ServiceFailure(.configuration(reason: "the client has been shut down"))
        }

        let requestTimeout = requestTimeout
        do {
            return try await Deadline.run(within: requestTimeout) { [outgoing] in
                let response = try await client.execute(outgoing, deadline: .now() + TimeAmount(requestTimeout))
                do {
                    let body = try await response.body.collect(upTo: CCEClient.maximumAnswerSize)
                    return HTTPAnswer(status: Int(response.status.code), headers: response.headers, body: Array(buffer: body))
                } catch {
                    throw BodyFailure(underlying: error)
                }
            }
        } catch {
            throw failure(for: error, target: Self.authority(of: request.url))
        }
    }

    /// Shuts every client down; later requests fail at once.
    func shutdown() async {
        isShutDown = true
        let all = clients.values
        clients = [:]
        for client in all {
            // Nothing is left to clean up when shutting down fails; the process is done with it.
            try? await client.shutdown()
        }
    }

    /// The client for `proxy`, made on first use; `nil` once shut down.
    private func client(for proxy: ProxyServer?) -> HTTPClient? {
        guard !isShutDown else { return nil }
        if let client = clients[proxy] { return client }
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: TimeAmount(connectTimeout)),
            proxy: proxy.map { proxy in
                .server(
                    host: proxy.host,
                    port: proxy.port,
                    authorization: proxy.username.map { .basic(username: $0, password: proxy.password ?? "") }
                )
            }
        )
        configuration.decompression = .disabled
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        clients[proxy] = client
        return client
    }

    /// Full verification against the system roots, plus the certificates of `caFile`.
    static func tlsConfiguration(trusting caFile: String?) throws(ServiceFailure) -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        guard let caFile else { return tls }
        let certificates: [NIOSSLCertificate]
        do {
            certificates = try NIOSSLCertificate.fromPEMFile(caFile)
        } catch {
            throw ServiceFailure(.configuration(reason: "the CA file \(caFile) cannot be read as PEM certificates"))
        }
        guard !certificates.isEmpty else {
            throw ServiceFailure(.configuration(reason: "the CA file \(caFile) holds no PEM certificate"))
        }
        tls.additionalTrustRoots = [.certificates(certificates)]
        return tls
    }

    /// Marks an error raised while the body streamed in, after the status and headers arrived.
    private struct BodyFailure: Error {
        var underlying: any Error
    }

    /// Classifies a failed exchange with `target` (`host:port`).
    private nonisolated func failure(for error: any Error, target: String) -> ServiceFailure {
        if Task.isCancelled {
            return ServiceFailure(.cancelled)
        }
        switch error {
        case is Deadline.Exceeded:
            return ServiceFailure(.timeout(.request(requestTimeout)))
        case let body as BodyFailure where body.underlying is NIOTooManyBytesError:
            return ServiceFailure(.invalidResponse(reason: "the answer is larger than the \(CCEClient.maximumAnswerSize / 1024) KiB limit"))
        case let body as BodyFailure:
            if let timeout = timeout(body.underlying) { return ServiceFailure(.timeout(timeout)) }
            return ServiceFailure(.invalidResponse(reason: "the answer was cut short (\(Self.describe(body.underlying, target: target)))"))
        default:
            if let timeout = timeout(error) { return ServiceFailure(.timeout(timeout)) }
            return ServiceFailure(.network(reason: Self.describe(error, target: target)))
        }
    }

    private nonisolated func timeout(_ error: any Error) -> CCEError.Timeout? {
        guard let error = error as? HTTPClientError else { return nil }
        switch error {
        case .connectTimeout, .tlsHandshakeTimeout, .httpProxyHandshakeTimeout, .socksHandshakeTimeout:
            return .connect(connectTimeout)
        case .deadlineExceeded, .readTimeout, .writeTimeout:
            return .request(requestTimeout)
        default:
            return nil
        }
    }

    /// A one-line reason for a failure below HTTP with `target`.
    static func describe(_ error: any Error, target: String) -> String {
        switch error {
        case let error as IOError:
            return "the connection to \(target) failed: \(String(cString: strerror(error.errnoCode)))"
        case let error as NIOConnectionError:
            if let cause = error.connectionErrors.first?.error {
                return describe(cause, target: target)
            }
            return OneLine.clip("the connection to \(target) failed: \(error)", limit: 300)
        case let error as NIOSSLError:
            let text = "\(error)"
            if text.contains("CERTIFICATE_VERIFY_FAILED") {
                return "the TLS certificate of \(target) is not trusted (CERTIFICATE_VERIFY_FAILED); set ca_file when a private CA signs it"
            }
            return OneLine.clip("TLS with \(target) failed: \(text)", limit: 300)
        case let error as NIOSSLExtraError where error == .failedToValidateHostname:
            return "the TLS certificate of \(target) does not name that host"
        default:
            return OneLine.clip("\(error)", limit: 300)
        }
    }

    /// `host:port` of `url`, the port defaulting to the scheme's.
    static func authority(of url: URL) -> String {
        let host = url.host(percentEncoded: false) ?? ""
        let port = url.port ?? (url.scheme?.lowercased() == "http" ? 80 : 443)
        return host.contains(":") && !host.hasPrefix("[") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}

extension TimeAmount {
    /// The same span, to the nanosecond.
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
