/// Percent-encoding exactly as the Python SDK does it with `urllib.parse`.
///
/// The canonical request is only reproducible if both sides encode and decode byte for byte
/// like `quote(s, safe='~')` and `unquote(s)`, so this deliberately does not use Foundation's
/// character-set based encoders, whose allowed sets differ per URL component.
enum PercentEncoding {
    /// `quote(s, safe='~')`: keeps RFC 3986 unreserved bytes (`A-Z a-z 0-9 - _ . ~`) and writes
    /// every other UTF-8 byte as `%XX` with upper-case hex.
    static func encode(_ string: some StringProtocol) -> String {
        var encoded: [UInt8] = []
        encoded.reserveCapacity(string.utf8.count)
        for byte in string.utf8 {
            if isUnreserved(byte) {
                encoded.append(byte)
            } else {
                encoded.append(UInt8(ascii: "%"))
                encoded.append(upperHexDigits[Int(byte >> 4)])
                encoded.append(upperHexDigits[Int(byte & 0x0F)])
            }
        }
        return String(decoding: encoded, as: UTF8.self)
    }

    /// `unquote_to_bytes(s)`: turns each `%XX` (hex of either case) into its byte and leaves
    /// everything else, including a malformed `%`, as it is. `+` stays `+`.
    static func decode(_ string: some StringProtocol) -> [UInt8] {
        let bytes = Array(string.utf8)
        var decoded: [UInt8] = []
        decoded.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count,
                let high = Hex.value(of: bytes[index + 1]), let low = Hex.value(of: bytes[index + 2])
            {
                decoded.append(high << 4 | low)
                index += 3
            } else {
                decoded.append(bytes[index])
                index += 1
            }
        }
        return decoded
    }

    /// `unquote(s)`: ``decode(_:)`` read as UTF-8, invalid sequences replaced by U+FFFD.
    static func decodeToString(_ string: some StringProtocol) -> String {
        String(decoding: decode(string), as: UTF8.self)
    }

    private static let upperHexDigits = Array("0123456789ABCDEF".utf8)

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }
}
