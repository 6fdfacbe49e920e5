import Logging

/// The text of one log event: always a single line, whatever the message and metadata hold.
///
/// ```text
/// <4>cluster=prod: renewal failed error="HTTP 503" next=40s                 (journal)
/// 2026-11-29T10:00:00Z warning cluster=prod: renewal failed error="HTTP 503" next=40s
/// ```
///
/// The logger's own metadata (who: `cluster=prod`) comes before the colon, the event's (what
/// happened) after the message; each sorted by key, as `key=value` with values quoted when they
/// hold spaces, quotes, `=` or control characters. Control characters, newlines first, are
/// escaped, as journald makes each line an entry and a terminal would act on escapes.
enum LogLine {
    /// The journal's form: the `<N>` priority prefix journald strips and records, and no
    /// timestamp or level, which journald keeps itself.
    static func journal(level: Logger.Level, context: Logger.Metadata, message: String, details: Logger.Metadata) -> String {
        "<\(level.syslogPriority)>" + body(context: context, message: message, details: details)
    }

    /// The terminal's form: timestamp and level in front.
    static func human(
        timestamp: String,
        level: Logger.Level,
        context: Logger.Metadata,
        message: String,
        details: Logger.Metadata
    ) -> String {
        let prefix = "\(timestamp) \(level.rawValue)" + (context.isEmpty ? ": " : " ")
        return prefix + body(context: context, message: message, details: details)
    }

    private static func body(context: Logger.Metadata, message: String, details: Logger.Metadata) -> String {
        var line = context.isEmpty ? "" : render(context) + ": "
        line += escapingControlCharacters(message)
        if !details.isEmpty {
            line += " " + render(details)
        }
        return line
    }

    private static func render(_ metadata: Logger.Metadata) -> String {
        metadata.sorted { $0.key < $1.key }
            .map { escapingControlCharacters($0.key) + "=" + quotedIfNeeded(text(of: $0.value)) }
            .joined(separator: " ")
    }

    /// Nested values in swift-log's bracket style, dictionaries sorted so lines compare.
    private static func text(of value: Logger.MetadataValue) -> String {
        switch value {
        case .string(let string): string
        case .stringConvertible(let convertible): convertible.description
        case .array(let values): "[" + values.map(text(of:)).joined(separator: ", ") + "]"
        case .dictionary(let dictionary):
            "[" + dictionary.sorted { $0.key < $1.key }.map { "\($0.key): \(text(of: $0.value))" }.joined(separator: ", ") + "]"
        }
    }

    private static func quotedIfNeeded(_ value: String) -> String {
        let needsQuotes =
            value.isEmpty
            || value.unicodeScalars.contains {
                $0 == " " || $0 == "\"" || $0 == "=" || $0.properties.generalCategory == .control
            }
        guard needsQuotes else { return value }
        var quoted = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            default: quoted += escaped(scalar)
            }
        }
        return quoted + "\""
    }

    private static func escapingControlCharacters(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { return text }
        return text.unicodeScalars.map(escaped).joined()
    }

    private static func escaped(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "\n": "\\n"
        case "\r": "\\r"
        case "\t": "\\t"
        case _ where scalar.properties.generalCategory == .control: "\\u{\(String(scalar.value, radix: 16))}"
        default: String(scalar)
        }
    }
}
