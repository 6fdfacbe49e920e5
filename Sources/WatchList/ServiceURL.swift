import HostAddress

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The rules for a URL the daemon sends credentials to: `endpoint`, `iam_endpoint` and the
/// SDK's endpoint variables.
///
/// Plain `http://` is refused except for loopback hosts (``CredentialTransport``), where only a
/// local test server can listen; anything else would send tokens, signed requests and the
/// returned client keys across the network in the clear.
package enum ServiceURL {
    /// Why a text is not an acceptable service URL; each reads after "must ...".
    package enum Problem: Error, Sendable, Hashable, CustomStringConvertible {
        case notAURL
        case notHTTPS
        case userInfo
        case queryOrFragment
        case badPort

        package var description: String {
            switch self {
            case .notAURL: "must be a URL such as https://cce.cn-north-4.myhuaweicloud.com"
            case .notHTTPS: "must be an https:// URL (http:// is allowed only for 127.0.0.0/8, localhost and ::1)"
            case .userInfo: "must not hold a user name or password"
            case .queryOrFragment: "must not have a query (?) or fragment (#)"
            case .badPort: "has a port outside 1-65535"
            }
        }
    }

    /// The URL, with a trailing `/` removed so that API paths can be appended to it.
    package static func parse(_ text: String) -> Result<URL, Problem> {
        let trimmed = text.hasSuffix("/") ? String(text.dropLast()) : text
        guard let url = URL(string: trimmed), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty else {
            return .failure(.notAURL)
        }
        guard CredentialTransport(scheme: scheme, host: host).isAllowed else { return .failure(.notHTTPS) }
        if url.user != nil || url.password != nil { return .failure(.userInfo) }
        if url.query != nil || url.fragment != nil { return .failure(.queryOrFragment) }
        if let port = url.port, !(1...65_535).contains(port) { return .failure(.badPort) }
        return .success(url)
    }
}
