/// Durations written the way Go and systemd users write them: `24h`, `90m`, `1h30m`, `7d`.
enum DurationText {
    /// The duration, or `nil` when `text` is not one or more `<digits><unit>` with unit `d`, `h`,
    /// `m` or `s`, or is too long for a `Duration`.
    static func parse(_ text: String) -> Duration? {
        let unitSeconds: [Character: Int64] = ["d": 86_400, "h": 3_600, "m": 60, "s": 1]
        var total: Int64 = 0
        var digits = ""
        for character in text {
            if character.isASCII, character.isNumber {
                digits.append(character)
                continue
            }
            guard let unit = unitSeconds[character], let amount = Int64(digits) else { return nil }
            let seconds = amount.multipliedReportingOverflow(by: unit)
            let sum = total.addingReportingOverflow(seconds.partialValue)
            guard !seconds.overflow, !sum.overflow else { return nil }
            total = sum.partialValue
            digits = ""
        }
        guard digits.isEmpty, !text.isEmpty else { return nil }
        return .seconds(total)
    }
}
