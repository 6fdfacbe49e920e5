#if canImport(FoundationEssentials)
import FoundationEssentials
#else
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#endif

extension SignableRequest {
    /// A request to `url`, as a client about to send it.
    ///
    /// The host keeps an explicit port (`127.0.0.1:18080`), like the `netloc` the SDK signs.
    /// The query may be in any order and encoding; it is decoded here and re-encoded
    /// canonically when signed. Returns `nil` when the URL has no host.
    package init?(method: String, url: URL, headers: [Header] = [], body: [UInt8] = []) {
        guard let host = url.host(percentEncoded: true), !host.isEmpty else { return nil }
        let bracketedHost = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        self.init(
            method: method,
            host: url.port.map { "\(bracketedHost):\($0)" } ?? bracketedHost,
            path: url.path(percentEncoded: true),
            query: url.query(percentEncoded: true).map { Self.parseQuery($0) } ?? [],
            headers: headers,
            body: body
        )
    }

    /// A request as a server received it: `target` is the request-target of the request line
    /// (`/path?query`, still percent-encoded) and `host` the authority it was addressed to.
    package init(method: String, host: String, target: String, headers: [Header] = [], body: [UInt8] = []) {
        let path: Substring
        let query: [QueryParameter]
        if let questionMark = target.firstIndex(of: "?") {
            path = target[..<questionMark]
            query = Self.parseQuery(target[target.index(after: questionMark)...])
        } else {
            path = target[...]
            query = []
        }
        self.init(method: method, host: host, path: String(path), query: query, headers: headers, body: body)
    }

    /// Splits `a=1&b=x%2Fy` into decoded parameters. Only `%XX` is decoded: the SDK sends a
    /// space as `%20`, so a `+` is a literal plus. A parameter without `=` has an empty value.
    static func parseQuery(_ rawQuery: some StringProtocol) -> [QueryParameter] {
        rawQuery.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return QueryParameter(
                name: PercentEncoding.decodeToString(parts[0]),
                value: parts.count > 1 ? PercentEncoding.decodeToString(parts[1]) : ""
            )
        }
    }
}
