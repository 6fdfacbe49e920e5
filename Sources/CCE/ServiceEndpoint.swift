import HostAddress

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The rules every URL that receives credentials must follow, and how paths are appended to it.
enum ServiceEndpoint {
    /// `url` when it may receive credentials: `https://`, or plain `http://` to a loopback host.
    ///
    /// - Throws: a configuration failure saying why not.
    static func checked(_ url: URL) throws(ServiceFailure) -> URL {
        guard let scheme = url.scheme?.lowercased(), let host = url.host(percentEncoded: false), !host.isEmpty else {
            throw ServiceFailure(.configuration(reason: "the endpoint \(url.absoluteString) is not an absolute URL"))
        }
        guard url.user == nil, url.password == nil else {
            throw ServiceFailure(.configuration(reason: "the endpoint must not hold a user name or password"))
        }
        switch CredentialTransport(scheme: scheme, host: host) {
        case .encrypted, .plainToLoopback:
            return url
        case .plainOffMachine:
            throw ServiceFailure(
                .configuration(
                    reason:
                        "the endpoint \(url.absoluteString) is plain http://, which is allowed only for loopback addresses; use https://"
                )
            )
        case .unsupportedScheme:
            throw ServiceFailure(.configuration(reason: "the endpoint \(url.absoluteString) is neither https:// nor http://"))
        }
    }

    /// `endpoint` with `path` (which starts with `/`) appended, a trailing `/` of the endpoint dropped.
    static func url(_ endpoint: URL, appending path: String) throws(ServiceFailure) -> URL {
        var base = endpoint.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        guard let url = URL(string: base + path) else {
            throw ServiceFailure(.configuration(reason: "the endpoint \(endpoint.absoluteString) cannot take the path \(path)"))
        }
        return url
    }

    /// A path segment with everything but RFC 3986 unreserved characters percent-encoded. Project
    /// and cluster ids never need it once the watch list is validated; a value made in code might.
    static func segment(_ text: String) -> String {
        var encoded = ""
        for byte in text.utf8 {
            if unreserved.contains(byte) {
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                encoded += (hex.count == 1 ? "%0" : "%") + hex
            }
        }
        return encoded
    }

    private static let unreserved = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8)
}
