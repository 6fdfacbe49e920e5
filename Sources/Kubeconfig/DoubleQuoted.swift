/// A string in double quotes, readable both as JSON and as a YAML double-quoted scalar.
///
/// Only what must be escaped is: the quote and the backslash, and every character YAML does not
/// allow as itself (C0 and C1 controls, DEL), as `\uXXXX` or its short form. Anything else,
/// non-ASCII included, stays as it is, so a name like `café` reads as itself in the file.
enum DoubleQuoted {
    static func text(_ text: String) -> String {
        var output = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\t": output += "\\t"
            case "\r": output += "\\r"
            case _ where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value):
                let hex = String(scalar.value, radix: 16)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                output.unicodeScalars.append(scalar)
            }
        }
        return output + "\""
    }
}
