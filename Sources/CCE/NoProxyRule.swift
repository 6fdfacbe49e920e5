import HostAddress

/// One entry of `NO_PROXY`: hosts that are reached directly even when a proxy is set.
///
/// The accepted forms are those curl and Go agree on: `*` for everything; a domain, which also
/// covers its subdomains (`example.com`, `.example.com` and `*.example.com` are alike); an IP
/// address or a CIDR network (`10.0.0.0/8`, `fd00::/8`), matched against literal addresses only
/// since no name is resolved to decide; and a `:port` suffix that limits a domain or address to
/// one port (`[::1]:8443` for IPv6). An entry must be a plain literal, as in curl; the host of a
/// request is read as the resolver will read it when it connects, so `127.1` is 127.0.0.1.
package enum NoProxyRule: Sendable, Hashable {
    case everything
    case domain(String, port: Int?)
    case address(IPAddress, port: Int?)
    case network(IPAddress, prefixLength: Int)

    /// Parses one trimmed, non-empty entry.
    ///
    /// - Throws: a reason (without the entry, which the caller quotes) when the port or prefix
    ///   length is not a number in range.
    init(parsing entry: String) throws(ProxySettingsError.Problem) {
        if entry == "*" {
            self = .everything
            return
        }
        if let slash = entry.firstIndex(of: "/") {
            guard let network = IPAddress(entry[..<slash]), let length = Int(entry[entry.index(after: slash)...]),
                (0...network.bytes.count * 8).contains(length)
            else { throw .badNoProxyNetwork(entry) }
            self = .network(network, prefixLength: length)
            return
        }
        if let address = IPAddress(entry) {
            self = .address(address, port: nil)
            return
        }
        var host = Substring(entry)
        var port: Int?
        if let colon = entry.lastIndex(of: ":"), entry.hasPrefix("[") ? entry[..<colon].hasSuffix("]") : true {
            guard let number = Int(entry[entry.index(after: colon)...]), (1...65_535).contains(number) else {
                throw .badNoProxyPort(entry)
            }
            host = entry[..<colon]
            port = number
        }
        if let address = IPAddress(host) {
            self = .address(address, port: port)
            return
        }
        while host.hasPrefix("*.") { host = host.dropFirst(2) }
        while host.hasPrefix(".") { host = host.dropFirst() }
        self = .domain(NoProxyRule.normalized(host), port: port)
    }

    /// Whether a request to `host` (a name or a literal address, lower-cased) on `port` bypasses the proxy.
    func matches(host: String, port: Int) -> Bool {
        switch self {
        case .everything:
            return true
        case .domain(let domain, let rulePort):
            guard rulePort == nil || rulePort == port, !domain.isEmpty else { return false }
            return host == domain || host.hasSuffix("." + domain)
        case .address(let address, let rulePort):
            return (rulePort == nil || rulePort == port) && IPAddress(resolving: host) == address
        case .network(let network, let prefixLength):
            return IPAddress(resolving: host)?.hasPrefix(network, length: prefixLength) ?? false
        }
    }

    /// Lower-cased, without a trailing dot: `Example.COM.` and `example.com` are one host.
    static func normalized(_ host: some StringProtocol) -> String {
        let lower = host.lowercased()
        return lower.hasSuffix(".") ? String(lower.dropLast()) : lower
    }
}
