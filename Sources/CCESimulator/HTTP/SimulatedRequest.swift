import CCESigning
import NIOHTTP1

/// A whole HTTP request as received: what every endpoint of the simulator answers.
struct SimulatedRequest: Sendable {
    var method: HTTPMethod
    /// The request-target of the request line, still percent-encoded, query included.
    var target: String
    var headers: HTTPHeaders
    var body: [UInt8]
    /// The serial number of the client certificate the TLS connection was made with, in
    /// lowercase hexadecimal; `nil` without one.
    var clientCertificateSerial: String? = nil

    /// The path part of ``target``.
    var path: Substring {
        target.prefix { $0 != "?" }
    }

    /// The query part of ``target``, without the `?`; empty when there is none.
    var query: Substring {
        target.firstIndex(of: "?").map { target[target.index(after: $0)...] } ?? ""
    }

    /// The percent-decoded value of the first query parameter called `name`.
    func queryValue(_ name: String) -> String? {
        signable.query.first { $0.name == name }?.value
    }

    /// The last value of a header, as the SDK's header dictionary would keep it.
    func header(_ name: String) -> String? {
        headers[name].last
    }

    /// The request as the signature verifier sees it: method, raw target, every header as
    /// received and the exact body bytes.
    var signable: SignableRequest {
        SignableRequest(
            method: method.rawValue,
            host: header("Host") ?? "",
            target: target,
            headers: headers.map { SignableRequest.Header(name: $0.name, value: $0.value) },
            body: body
        )
    }
}

extension SimulatedRequest {
    /// The parameter names of a raw query (`a=1&b` → `a`, `b`), as sent.
    static func queryNames(_ query: Substring) -> Set<Substring> {
        Set(query.split(separator: "&").map { $0.prefix { $0 != "=" } })
    }
}
