/// Durations written the way Go and systemd users write them: `24h`, `90m`, `1h30m`, `7d`.
enum DurationText {
    /// The duration, or `nil` when `text` is not one or more `<digits><unit>` with unit `d`, `h`, `m` or `s`.
    static func parse(_ text: String) -> Duration? {
        let unitSeconds: [Character: Int64] = ["d": 86_400, "h": 3_600, "m": 60, "s": 1]
        var total: Int64 = 0
        var digits = ""
        for character in text {
            if character.isASCII, character.isNumber {
                digits.append(character)
            } else if let unit = unitSeconds[character], !digits.isEmpty, digits.count <= 9, let amount = Int64(digits) {
                // Nine digits of days stays far below Int64's range however many parts there are.
                total += amount * unit
                digits = ""
            } else {
                return nil
            }
        }
        guard digits.isEmpty, !text.isEmpty else { return nil }
        return .seconds(total)
    }
}
