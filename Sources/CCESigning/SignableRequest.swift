/// The parts of an HTTP request that the SDK-HMAC-SHA256 signature covers.
///
/// A client builds one from the URL it will call; a server builds one from what it received,
/// with ``init(method:host:target:headers:body:)``. Both sides then derive the same
/// ``CanonicalRequest``.
package struct SignableRequest: Sendable, Hashable {
    /// One header field. Names compare case-insensitively wherever the signer looks them up.
    package struct Header: Sendable, Hashable {
        package var name: String
        package var value: String

        package init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// One query parameter, percent-decoded. A repeated key is one parameter per value.
    package struct QueryParameter: Sendable, Hashable {
        package var name: String
        package var value: String

        package init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The HTTP method; the canonical request upper-cases it.
    package var method: String
    /// The authority, `host` or `host:port`, used as the `Host` header when `headers` has none.
    package var host: String
    /// The path exactly as sent on the wire, percent-encoded.
    package var path: String
    /// The query parameters in any order; the canonical query sorts them.
    package var query: [QueryParameter]
    /// The header fields that will be sent, in any order.
    package var headers: [Header]
    /// The exact body bytes that will be sent.
    package var body: [UInt8]

    package init(
        method: String,
        host: String,
        path: String,
        query: [QueryParameter] = [],
        headers: [Header] = [],
        body: [UInt8] = []
    ) {
        self.method = method
        self.host = host
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// The value of the last header named `name`, compared case-insensitively.
    ///
    /// The last one wins, as in the SDK, whose header dictionary keeps the last assignment.
    package func headerValue(_ name: String) -> String? {
        headers.last { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// Replaces every header named `name` (case-insensitively) with one `name: value` field.
    package mutating func setHeader(_ name: String, _ value: String) {
        headers.removeAll { $0.name.lowercased() == name.lowercased() }
        headers.append(Header(name: name, value: value))
    }
}
