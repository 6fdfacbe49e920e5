/// What an untagged plain scalar means to a reader.
///
/// Readers disagree: kubectl's YAML layer follows YAML 1.1 (`y`, `on`, `0o17`, `1_000`),
/// libyaml-based tools often the 1.2 core schema. This resolver takes the union, so that
/// a value is only called a string when *every* reader would read it as one.
package enum PlainScalar: Sendable, Hashable {
    case null
    case bool(Bool)
    case number
    case string

    /// Resolves a plain scalar's text.
    package static func resolve(_ text: String) -> PlainScalar {
        switch text {
        case "", "~", "null", "Null", "NULL":
            return .null
        case "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON":
            return .bool(true)
        case "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF":
            return .bool(false)
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN":
            return .number
        default:
            return looksNumeric(text) ? .number : .string
        }
    }

    /// Whether `text`, written as a plain scalar, reads back as the string `text`.
    ///
    /// Also false when plain style cannot hold the text at all (leading or trailing space,
    /// indicators, `: `, ` #`, line breaks): those need quotes, and deciding here keeps the
    /// choice out of libyaml's hands.
    package static func readsBackAsString(_ text: String) -> Bool {
        resolve(text) == .string && canBeWrittenPlain(text)
    }

    /// Whether plain style can hold `text` at all, whatever type a reader then gives it.
    package static func canBeWrittenPlain(_ text: String) -> Bool {
        guard let first = text.utf8.first, let last = text.utf8.last else { return false }
        if first == UInt8(ascii: " ") || last == UInt8(ascii: " ") || last == UInt8(ascii: ":") { return false }
        if "-?:,[]{}#&*!|>'\"%@`".utf8.contains(first) {
            // `-x`, `?x` and `:x` are plain-safe in block context, but not worth the subtlety.
            return false
        }
        var previous: UInt8 = 0
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"), 0..<0x20, 0x7f:
                return false
            case UInt8(ascii: "#") where previous == UInt8(ascii: " "):
                return false
            case UInt8(ascii: " ") where previous == UInt8(ascii: ":"):
                return false
            case UInt8(ascii: ","), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"):
                // Safe in block context, fatal in flow context; quoting keeps one rule for both.
                return false
            default:
                break
            }
            previous = byte
        }
        return true
    }

    /// Integers and floats of YAML 1.1 and 1.2: `12`, `-3`, `0x1f`, `0o17`, `017`, `1_000`, `1.5e3`, `1:30`, `.5`.
    private static func looksNumeric(_ text: String) -> Bool {
        var bytes = Substring(text).utf8[...]
        if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        guard let first = bytes.first else { return false }
        let isDigit = { (byte: UInt8) in (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
        if first == UInt8(ascii: "0"), bytes.count > 1 {
            let marker = bytes[bytes.index(after: bytes.startIndex)] | 0x20
            if marker == UInt8(ascii: "x") || marker == UInt8(ascii: "o") || marker == UInt8(ascii: "b") {
                return bytes.count > 2
                    && bytes.dropFirst(2).allSatisfy {
                        isDigit($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0 | 0x20) || $0 == UInt8(ascii: "_")
                    }
            }
        }
        guard isDigit(first) || first == UInt8(ascii: "."), bytes.last != UInt8(ascii: ":") else { return false }
        // Digits with `_` separators, at most one `.`, sexagesimal `:`, and an exponent.
        var sawDigit = false
        var sawExponent = false
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if isDigit(byte) {
                sawDigit = true
            } else if byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: ":") {
                if sawExponent { return false }
            } else if byte | 0x20 == UInt8(ascii: "e"), sawDigit, !sawExponent {
                sawExponent = true
                let next = bytes.index(after: index)
                if next < bytes.endIndex, bytes[next] == UInt8(ascii: "+") || bytes[next] == UInt8(ascii: "-") {
                    index = next
                }
            } else {
                return false
            }
            index = bytes.index(after: index)
        }
        return sawDigit
    }
}
