import Glibc

/// An IPv4 or IPv6 address as its bytes, parsed from text without any name lookup.
///
/// Two readings exist because two kinds of text need them. A `NO_PROXY` entry is matched the
/// way curl and Go match it: only the plain literal forms are addresses. The host of a URL is
/// read the way the system resolver reads it when it connects: glibc's `getaddrinfo` takes every
/// form `inet_aton` takes (`127.1`, `0x7f.0.0.1`, `2130706433`, and a leading `0` meaning
/// octal, so `0127.0.0.1` is 87.0.0.1), so a decision about where a connection goes must read
/// the host the same way.
package struct IPAddress: Sendable, Hashable {
    /// 4 bytes for IPv4, 16 for IPv6.
    package let bytes: [UInt8]

    /// Parses the literal forms `192.0.2.1`, `::1`, `[::1]` or `fe80::1%eth0` (the zone is
    /// ignored); `nil` for a host name or an abbreviated IPv4 form such as `127.1`.
    package init?(_ text: some StringProtocol) {
        guard let text = Self.unbracketed(text) else { return nil }
        if let octets = Self.dottedDecimal(text) {
            bytes = octets
        } else if let octets = Self.ipv6(text) {
            bytes = octets
        } else {
            return nil
        }
    }

    /// Parses `host` as the system resolver does before it would look a name up: every IPv4 form
    /// `inet_aton` accepts, and IPv6 with or without brackets and zone; `nil` for a host name.
    package init?(resolving host: some StringProtocol) {
        guard let text = Self.unbracketed(host) else { return nil }
        if let octets = Self.inetAton(text) {
            bytes = octets
        } else if let octets = Self.ipv6(text) {
            bytes = octets
        } else {
            return nil
        }
    }

    /// Whether the address can only be this machine: 127.0.0.0/8, `::1`, or an IPv4-mapped
    /// IPv6 address (`::ffff:127.0.0.1`) of 127.0.0.0/8, which Linux delivers to IPv4 loopback.
    package var isLoopback: Bool {
        switch bytes.count {
        case 4:
            return bytes[0] == 127
        default:
            let mappedPrefix = Array(repeating: UInt8(0), count: 10) + [0xFF, 0xFF]
            if bytes.starts(with: mappedPrefix) { return bytes[12] == 127 }
            return bytes == Array(repeating: 0, count: 15) + [1]
        }
    }

    /// Whether the first `prefixLength` bits of both addresses are equal (and both are of one family).
    package func hasPrefix(_ network: IPAddress, length prefixLength: Int) -> Bool {
        guard bytes.count == network.bytes.count, prefixLength <= bytes.count * 8 else { return false }
        let whole = prefixLength / 8
        guard bytes[..<whole] == network.bytes[..<whole] else { return false }
        let remaining = prefixLength % 8
        guard remaining > 0 else { return true }
        let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - remaining))
        return bytes[whole] & mask == network.bytes[whole] & mask
    }

    /// `text` without the brackets of a URL's IPv6 host and without a `%zone`; `nil` when the
    /// brackets do not pair.
    private static func unbracketed(_ text: some StringProtocol) -> String? {
        var text = String(text)
        if text.hasPrefix("[") || text.hasSuffix("]") {
            guard text.hasPrefix("["), text.hasSuffix("]"), text.count >= 2 else { return nil }
            text = String(text.dropFirst().dropLast())
        }
        if let zone = text.firstIndex(of: "%") {
            text = String(text[..<zone])
        }
        return text
    }

    /// Four decimal octets of one to three digits each, nothing else.
    private static func dottedDecimal(_ text: String) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var octets: [UInt8] = []
        for part in parts {
            guard (1...3).contains(part.utf8.count), part.utf8.allSatisfy(isDecimalDigit), let value = UInt8(part) else {
                return nil
            }
            octets.append(value)
        }
        return octets
    }

    /// IPv4 as glibc's `inet_aton` (and so `getaddrinfo`) reads it: one to four parts separated
    /// by `.`, each decimal, octal after a leading `0` or hexadecimal after `0x`; the last part
    /// fills all the bytes that are left (`127.1` is 127.0.0.1, `2130706433` is 127.0.0.1).
    private static func inetAton(_ text: String) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...4).contains(parts.count) else { return nil }
        var values: [UInt32] = []
        for part in parts {
            guard let value = cNumber(part) else { return nil }
            values.append(value)
        }
        let leading = values.dropLast()
        guard leading.allSatisfy({ $0 <= 0xFF }) else { return nil }
        let last = values[values.count - 1]
        let lastBytes = 4 - leading.count
        guard lastBytes == 4 || last >> (8 * UInt32(lastBytes)) == 0 else { return nil }
        var octets = leading.map { UInt8($0) }
        for index in (0..<lastBytes).reversed() {
            octets.append(UInt8(truncatingIfNeeded: last >> (8 * UInt32(index))))
        }
        return octets
    }

    /// A number as C's `strtoul(_, _, 0)` reads it, the whole text and at most 32 bits:
    /// `0x1F` hexadecimal, `017` octal, `17` decimal.
    private static func cNumber(_ text: Substring) -> UInt32? {
        let utf8 = Array(text.utf8)
        guard let first = utf8.first, isDecimalDigit(first) else { return nil }
        let radix: UInt32
        let digits: ArraySlice<UInt8>
        if utf8.count >= 2, first == UInt8(ascii: "0"), utf8[1] | 0x20 == UInt8(ascii: "x") {
            radix = 16
            digits = utf8[2...]
            guard !digits.isEmpty else { return nil }
        } else if first == UInt8(ascii: "0") {
            radix = 8
            digits = utf8[...]
        } else {
            radix = 10
            digits = utf8[...]
        }
        var value: UInt32 = 0
        for byte in digits {
            guard let digit = digitValue(byte), digit < radix else { return nil }
            let (shifted, overflow) = value.multipliedReportingOverflow(by: radix)
            let (sum, carry) = shifted.addingReportingOverflow(digit)
            guard !overflow, !carry else { return nil }
            value = sum
        }
        return value
    }

    private static func digitValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    private static func isDecimalDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    /// IPv6 in any of its spellings (compressed, full, with an embedded IPv4 tail), through
    /// `inet_pton`, which only parses and never looks a name up.
    private static func ipv6(_ text: String) -> [UInt8]? {
        guard text.contains(":") else { return nil }
        var address = in6_addr()
        guard inet_pton(AF_INET6, text, &address) == 1 else { return nil }
        return withUnsafeBytes(of: &address) { Array($0) }
    }
}
