import Glibc

/// An IPv4 or IPv6 address as its bytes, parsed from text without any name lookup.
public struct IPAddress: Sendable, Hashable {
    /// 4 bytes for IPv4, 16 for IPv6.
    public let bytes: [UInt8]

    /// Parses `192.0.2.1`, `::1`, `[::1]` or `fe80::1%eth0` (the zone is ignored); `nil` for a host name.
    public init?(_ text: some StringProtocol) {
        var text = String(text)
        if text.hasPrefix("[") && text.hasSuffix("]") {
            text = String(text.dropFirst().dropLast())
        }
        if let zone = text.firstIndex(of: "%") {
            text = String(text[..<zone])
        }
        if let octets = Self.ipv4(text) {
            bytes = octets
            return
        }
        guard text.contains(":") else { return nil }
        var address = in6_addr()
        guard inet_pton(AF_INET6, text, &address) == 1 else { return nil }
        bytes = withUnsafeBytes(of: &address) { Array($0) }
    }

    /// Whether the address is loopback: 127.0.0.0/8 or `::1`.
    var isLoopback: Bool {
        bytes.count == 4 ? bytes[0] == 127 : bytes == Array(repeating: 0, count: 15) + [1]
    }

    /// Whether the first `prefixLength` bits of both addresses are equal (and both are of one family).
    func hasPrefix(_ network: IPAddress, length prefixLength: Int) -> Bool {
        guard bytes.count == network.bytes.count, prefixLength <= bytes.count * 8 else { return false }
        let whole = prefixLength / 8
        guard bytes[..<whole] == network.bytes[..<whole] else { return false }
        let remaining = prefixLength % 8
        guard remaining > 0 else { return true }
        let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - remaining))
        return bytes[whole] & mask == network.bytes[whole] & mask
    }

    /// Four decimal octets of at most three digits each, without leading `+` or other forms
    /// `inet_aton` would accept (`127.1`, `0x7f.0.0.1`).
    private static func ipv4(_ text: String) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var octets: [UInt8] = []
        for part in parts {
            guard (1...3).contains(part.utf8.count),
                part.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
                let value = UInt8(part)
            else { return nil }
            octets.append(value)
        }
        return octets
    }
}
