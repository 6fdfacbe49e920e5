#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Every way a duration is written: as the watch list spells it (`24h`, `1h30m`), and as people
/// read it in messages and tables (`250ms`, `1.5s`, `6d 3h`, `in 2h 5m`).
///
/// One definition, so that `check-config`, `status`, `list`, log lines and error messages all
/// say the same span the same way.
package enum DurationText {
    private static let units: [(name: String, seconds: Int64)] = [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)]

    /// The duration the watch list spells: one or more `<digits><unit>` with unit `d`, `h`, `m`
    /// or `s` (`24h`, `90m`, `1h30m`, `7d`), as Go and systemd users write them; `nil` for
    /// anything else, or for a total too long for a `Duration`.
    package static func parse(_ text: String) -> Duration? {
        var total: Int64 = 0
        var digits = ""
        for character in text {
            if character.isASCII, character.isNumber {
                digits.append(character)
                continue
            }
            guard let unit = units.first(where: { $0.name == String(character) }), let amount = Int64(digits) else { return nil }
            let seconds = amount.multipliedReportingOverflow(by: unit.seconds)
            let sum = total.addingReportingOverflow(seconds.partialValue)
            guard !seconds.overflow, !sum.overflow else { return nil }
            total = sum.partialValue
            digits = ""
        }
        guard digits.isEmpty, !text.isEmpty else { return nil }
        return .seconds(total)
    }

    /// The whole seconds of `duration` as the watch list spells them, exactly: `24h`, `1h30m`,
    /// `45s`, `0s`. Days are written as hours, as a config usually says `24h` or `48h`;
    /// ``parse(_:)`` reads the text back to the same duration.
    package static func spelled(_ duration: Duration) -> String {
        var rest = max(duration.components.seconds, 0)
        var text = ""
        for (name, size) in units.dropFirst() where rest >= size {
            text += "\(rest / size)\(name)"
            rest %= size
        }
        return text.isEmpty ? "0s" : text
    }

    /// A span as a person reads it, its sign dropped: under a second in milliseconds (`250ms`),
    /// under a minute in seconds with up to three decimals (`1.5s`, `30s`), and above that the
    /// two largest whole units, the second left out when it is zero (`5m 3s`, `2h`, `6d 3h`).
    /// Every part is rounded down.
    package static func readable(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let magnitude = seconds.magnitude
        let milliseconds = attoseconds.magnitude / 1_000_000_000_000_000
        if magnitude == 0 {
            return milliseconds == 0 ? "0s" : "\(milliseconds)ms"
        }
        if magnitude < 60 {
            guard milliseconds != 0 else { return "\(magnitude)s" }
            var fraction = String(milliseconds)
            fraction = String(repeating: "0", count: 3 - fraction.count) + fraction
            while fraction.hasSuffix("0") { fraction.removeLast() }
            return "\(magnitude).\(fraction)s"
        }
        let first = units.firstIndex { UInt64($0.seconds) <= magnitude } ?? units.count - 1
        let (name, size) = (units[first].name, UInt64(units[first].seconds))
        var text = "\(magnitude / size)\(name)"
        if first + 1 < units.count {
            let (nextName, nextSize) = (units[first + 1].name, UInt64(units[first + 1].seconds))
            let rest = magnitude % size / nextSize
            if rest > 0 { text += " \(rest)\(nextName)" }
        }
        return text
    }

    /// ``readable(_:)`` for a number of seconds, such as the difference of two dates.
    package static func readable(seconds: Double) -> String {
        guard seconds.isFinite else { return "∞" }
        let clamped = min(seconds.magnitude, Double(Int64.max / 2))
        let whole = clamped.rounded(.down)
        return readable(.seconds(Int64(whole)) + .milliseconds(Int64(((clamped - whole) * 1_000).rounded(.down))))
    }

    /// `in 6d 3h` for a time after `now`, `2h ago` for one before it, and `now` within the same
    /// second.
    package static func relative(_ date: Date, to now: Date) -> String {
        let seconds = date.timeIntervalSince(now)
        guard seconds.magnitude >= 1 else { return "now" }
        let text = readable(seconds: seconds.magnitude.rounded(.down))
        return seconds > 0 ? "in \(text)" : "\(text) ago"
    }
}
