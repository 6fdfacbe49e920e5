import HostAddress
import WatchList

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Which requests go through an HTTP proxy, as the environment says.
///
/// async-http-client does not read the proxy variables, so they are read here, the way curl and
/// Go's `httpproxy` read them:
/// - `https_proxy`, else `HTTPS_PROXY`: `http://[user:password@]host[:port]`, the scheme optional,
///   port 80 by default. An `https://` or SOCKS proxy is refused rather than silently ignored.
/// - `no_proxy`, else `NO_PROXY`: comma-separated ``NoProxyRule``s.
/// - Loopback hosts are never proxied (as in Go), and neither is plain `http://`, which is only
///   ever used for loopback. `HTTP_PROXY` is therefore never needed.
package struct ProxySettings: Sendable, Hashable {
    /// The proxy for HTTPS requests; `nil` to connect directly.
    package var proxy: ProxyServer?
    /// Hosts reached directly even when ``proxy`` is set.
    package var exclusions: [NoProxyRule]

    /// Every request goes directly.
    package static let direct = ProxySettings(proxy: nil, exclusions: [])

    package init(proxy: ProxyServer?, exclusions: [NoProxyRule]) {
        self.proxy = proxy
        self.exclusions = exclusions
    }

    /// Reads the proxy variables from `environment`; an empty variable counts as unset.
    ///
    /// - Throws: ``ProxySettingsError`` naming the variable, never quoting a proxy password.
    package init(environment: [String: String]) throws(ProxySettingsError) {
        let proxyVariable = ["https_proxy", "HTTPS_PROXY"].first { environment[$0]?.isEmpty == false }
        let noProxyVariable = ["no_proxy", "NO_PROXY"].first { environment[$0]?.isEmpty == false }
        do throws(ProxySettingsError.Problem) {
            proxy = try proxyVariable.flatMap { environment[$0] }.map(Self.server)
        } catch {
            throw ProxySettingsError(variable: proxyVariable ?? "HTTPS_PROXY", problem: error)
        }
        var rules: [NoProxyRule] = []
        for entry in (noProxyVariable.flatMap { environment[$0] } ?? "").split(separator: ",") {
            let trimmed = String(entry.trimmingWhitespace)
            guard !trimmed.isEmpty else { continue }
            do throws(ProxySettingsError.Problem) {
                rules.append(try NoProxyRule(parsing: trimmed))
            } catch {
                throw ProxySettingsError(variable: noProxyVariable ?? "NO_PROXY", problem: error)
            }
        }
        exclusions = rules
    }

    /// The proxy to use for a request to `url`, or `nil` to connect directly.
    package func proxy(for url: URL) -> ProxyServer? {
        guard let proxy, url.scheme?.lowercased() == "https", let rawHost = url.host(percentEncoded: false) else { return nil }
        let host = NoProxyRule.normalized(rawHost.hasPrefix("[") ? String(rawHost.dropFirst().dropLast()) : rawHost)
        let port = url.port ?? 443
        if LoopbackHost.contains(host) || exclusions.contains(where: { $0.matches(host: host, port: port) }) {
            return nil
        }
        return proxy
    }

    /// Parses the value of `HTTPS_PROXY`.
    private static func server(_ value: String) throws(ProxySettingsError.Problem) -> ProxyServer {
        let trimmed = String(value.trimmingWhitespace)
        let text = trimmed.contains("://") ? trimmed : "http://" + trimmed
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            throw .notAProxyURL
        }
        guard scheme == "http" else { throw .unsupportedProxyScheme(scheme) }
        guard let host = components.host, !host.isEmpty else { throw .notAProxyURL }
        let port = components.port ?? 80
        guard (1...65_535).contains(port) else { throw .notAProxyURL }
        return ProxyServer(
            host: host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host,
            port: port,
            username: components.user,
            password: components.password
        )
    }
}

/// Why the proxy variables cannot be used.
package struct ProxySettingsError: Error, Sendable, Hashable, CustomStringConvertible {
    package enum Problem: Error, Sendable, Hashable {
        case notAProxyURL
        case unsupportedProxyScheme(String)
        case badNoProxyPort(String)
        case badNoProxyNetwork(String)
    }

    /// The variable as spelled in the environment (`https_proxy` or `HTTPS_PROXY`, ...).
    package var variable: String
    package var problem: Problem

    package var description: String {
        switch problem {
        case .notAProxyURL:
            "\(variable) is not a proxy URL such as http://proxy.example.com:3128"
        case .unsupportedProxyScheme(let scheme):
            "\(variable) uses \(scheme)://, but only http:// proxies are supported (HTTPS still goes through them end to end)"
        case .badNoProxyPort(let entry):
            "\(variable) entry \"\(entry)\" has a port that is not a number from 1 to 65535"
        case .badNoProxyNetwork(let entry):
            "\(variable) entry \"\(entry)\" is not an IP network such as 10.0.0.0/8"
        }
    }
}
