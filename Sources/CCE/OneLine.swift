/// Text from a server made fit for a one-line log message.
enum OneLine {
    /// `text` with every control character (newlines included) turned into a space, runs of
    /// white space collapsed, the ends trimmed, and at most `limit` characters kept ("…" marks a cut).
    static func clip(_ text: String, limit: Int) -> String {
        var result = ""
        var pendingSpace = false
        for character in text {
            if character.isWhitespace || character.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                pendingSpace = !result.isEmpty
                continue
            }
            if pendingSpace {
                result.append(" ")
                pendingSpace = false
            }
            result.append(character)
            if result.count > limit {
                return String(result.prefix(limit)) + "…"
            }
        }
        return result
    }
}
