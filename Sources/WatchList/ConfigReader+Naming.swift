import YAML

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension ConfigReader {
    /// `context_name: "{region}-{name}"`; a problem points at the character where it is, when
    /// the value is written on one line as it reads (plain or quoted, without escapes).
    mutating func nameTemplate(_ field: Fields.Field) -> Setting<NameTemplate> {
        guard let text = string(field).value else { return .invalid }
        switch NameTemplate.parse(text) {
        case .success(let template):
            return .valid(template, at: field.valueLocation)
        case .failure(let problem):
            report("\"context_name\" \(problem.value)", at: location(ofCharacter: problem.offset, in: field))
            return .invalid
        }
    }

    /// `namespace`: a Kubernetes namespace name (a DNS label).
    mutating func namespace(_ field: Fields.Field) -> Setting<String> {
        let name = string(field)
        guard let text = name.value else { return .invalid }
        let bytes = Array(text.utf8)
        let isLabelByte: (UInt8) -> Bool = { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        }
        let valid =
            (1...63).contains(bytes.count) && isLabelByte(bytes[0]) && isLabelByte(bytes[bytes.count - 1])
            && bytes.allSatisfy { isLabelByte($0) || $0 == UInt8(ascii: "-") }
        guard valid else {
            report(
                "\"namespace\" must be a namespace name: up to 63 lowercase letters, digits and \"-\", starting and ending with a letter or digit",
                at: field.valueLocation
            )
            return .invalid
        }
        return name
    }

    /// `proxy_url`: what kubectl accepts as a cluster's `proxy-url` (`http`, `https`, `socks5`).
    /// Never quoted in a problem: it may hold a proxy password.
    mutating func proxyURL(_ field: Fields.Field) -> Setting<URL> {
        guard let text = string(field).value else { return .invalid }
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty else {
            report("\"proxy_url\" must be a URL such as socks5://127.0.0.1:1080 or http://proxy.example.com:3128", at: field.valueLocation)
            return .invalid
        }
        guard ["http", "https", "socks5"].contains(scheme) else {
            report("\"proxy_url\" must start with http://, https:// or socks5:// (the proxies kubectl can use)", at: field.valueLocation)
            return .invalid
        }
        return .valid(url, at: field.valueLocation)
    }

    /// The place of the `offset`th character of a scalar's text, or the value's place when the
    /// text is not written as it reads on one line.
    func location(ofCharacter offset: Int, in field: Fields.Field) -> SourceLocation? {
        guard let start = field.value.span?.start, let end = field.value.contentEnd, let span = field.value.span,
            case .scalar(let text, let style) = field.value.content, !text.contains("\n")
        else { return field.valueLocation }
        let quotes: Int
        switch style {
        case .plain: quotes = 0
        case .singleQuoted where !text.contains("'"), .doubleQuoted where !text.contains("\\") && !text.contains("\""): quotes = 2
        default: return start
        }
        guard end - span.bytes.lowerBound == text.utf8.count + quotes else { return start }
        return SourceLocation(line: start.line, column: start.column + quotes / 2 + offset)
    }
}
