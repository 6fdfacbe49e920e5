import Crypto

/// The canonical form of a request, the text whose hash SDK-HMAC-SHA256 signs.
///
/// Six lines joined by `\n`: the upper-cased method, the canonical URI, the canonical query,
/// one `name:value` line per signed header (so a blank line follows them), the signed header
/// names joined by `;`, and the payload hash. Every rule mirrors `huaweicloudsdkcore`'s
/// `Signer`, including its quirks, because the gateway recomputes the same text.
package struct CanonicalRequest: Sendable, Hashable, CustomStringConvertible {
    /// The hash of an empty payload, used whenever the body is empty.
    package static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    /// `SignableRequest.method`, upper-cased.
    package let method: String
    /// The path percent-decoded, each `/`-separated segment re-encoded, with a trailing `/`.
    package let uri: String
    /// The query parameters sorted by name then value, each encoded, joined by `&`.
    package let query: String
    /// The lower-cased names of the signed headers, in the order they are signed.
    package let signedHeaders: [String]
    /// One `name:trimmed value\n` line per signed header.
    package let headers: String
    /// Lower-case hex SHA-256 of the body, or the `X-Sdk-Content-Sha256` value the client chose.
    package let payloadHash: String

    /// The canonical form a client signs: it covers every header whose name has no `_`, plus
    /// `host` (from `request.host` when no `Host` header is set), sorted.
    package init(signing request: SignableRequest) {
        var values: [String: String] = [:]
        for header in request.headers where !header.name.contains("_") {
            values[header.name.lowercased()] = header.value
        }
        if values["host"] == nil {
            values["host"] = request.host
        }
        let sorted = values.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        self.init(request, signedHeaders: sorted.map(\.key), headers: sorted.map { ($0.key, $0.value) })
    }

    /// The canonical form a server recomputes over the headers the client listed in
    /// `SignedHeaders`, in the client's order.
    ///
    /// - Throws: ``SignatureVerificationError/missingSignedHeader(_:)`` when a listed header
    ///   is not in the request (`host` falls back to `request.host`).
    package init(verifying request: SignableRequest, signedHeaders: [String]) throws(SignatureVerificationError) {
        var headers: [(String, String)] = []
        for name in signedHeaders {
            if let value = request.headerValue(name) {
                headers.append((name, value))
            } else if name.lowercased() == "host" {
                headers.append((name, request.host))
            } else {
                throw .missingSignedHeader(name)
            }
        }
        self.init(request, signedHeaders: signedHeaders, headers: headers)
    }

    private init(_ request: SignableRequest, signedHeaders: [String], headers: [(name: String, value: String)]) {
        self.method = request.method.uppercased()
        self.uri = Self.uri(forPath: request.path)
        self.query = Self.query(for: request.query)
        self.signedHeaders = signedHeaders
        self.headers = headers.map { "\($0.name.lowercased()):\(Self.trimmed($0.value))\n" }.joined()
        self.payloadHash = Self.payloadHash(for: request)
    }

    /// The canonical request text.
    package var text: String {
        [method, uri, query, headers, signedHeaders.joined(separator: ";"), payloadHash].joined(separator: "\n")
    }

    package var description: String {
        text
    }

    /// `SDK-HMAC-SHA256\n<X-Sdk-Date>\n<hex SHA-256 of the canonical text>`, the HMAC input.
    package func stringToSign(date: SignatureDate) -> String {
        let hash = Hex.encode(SHA256.hash(data: Array(text.utf8)))
        return "\(SignatureAuthorization.algorithm)\n\(date.text)\n\(hash)"
    }

    /// Python's `str.strip()` on the value: leading and trailing white space only.
    static func trimmed(_ value: String) -> String {
        let scalars = value.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }

    /// Decoding first and re-encoding each segment makes `%7E`, `~` and `%7e` sign alike; an
    /// encoded `%2F` becomes a separator, as in the SDK.
    private static func uri(forPath path: String) -> String {
        let slash = UInt8(ascii: "/")
        let segments = PercentEncoding.decode(path).split(separator: slash, omittingEmptySubsequences: false)
        let encoded = segments.map { PercentEncoding.encode(String(decoding: $0, as: UTF8.self)) }
            .joined(separator: "/")
        return encoded.hasSuffix("/") ? encoded : encoded + "/"
    }

    /// The SDK sorts the decoded (name, value) pairs by code point before encoding them, so
    /// `é` sorts after `z` although `%C3%A9` would sort before it. UTF-8 byte order is code
    /// point order.
    private static func query(for parameters: [SignableRequest.QueryParameter]) -> String {
        parameters.sorted { lhs, rhs in
            lhs.name.utf8.elementsEqual(rhs.name.utf8)
                ? lhs.value.utf8.lexicographicallyPrecedes(rhs.value.utf8)
                : lhs.name.utf8.lexicographicallyPrecedes(rhs.name.utf8)
        }
        .map { "\(PercentEncoding.encode($0.name))=\(PercentEncoding.encode($0.value))" }
        .joined(separator: "&")
    }

    /// An empty body always hashes as empty; otherwise a non-empty `X-Sdk-Content-Sha256`
    /// (`UNSIGNED-PAYLOAD` for non-JSON bodies) replaces the hash of the body.
    private static func payloadHash(for request: SignableRequest) -> String {
        guard !request.body.isEmpty else { return emptyPayloadHash }
        if let declared = request.headerValue(SignatureHeaderName.contentSHA256).map(trimmed), !declared.isEmpty {
            return declared
        }
        return Hex.encode(SHA256.hash(data: request.body))
    }
}
