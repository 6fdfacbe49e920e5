#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Short spans of time as a person reads them in a table: `6d 3h`, `2h 5m`, `40s`.
public enum HumanDuration {
    /// The largest two units of `seconds` (absolute, rounded down), the second left out when it
    /// is zero: `6d 3h`, `2h`, `5m 3s`, `0s`.
    public static func format(_ seconds: TimeInterval) -> String {
        let total = Int(abs(seconds).rounded(.down))
        let units = [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)]
        guard let first = units.firstIndex(where: { total >= $0.1 }) else { return "0s" }
        let (name, size) = units[first]
        var text = "\(total / size)\(name)"
        if first + 1 < units.count {
            let (nextName, nextSize) = units[first + 1]
            let rest = total % size / nextSize
            if rest > 0 { text += " \(rest)\(nextName)" }
        }
        return text
    }

    /// `in 6d 3h` for a time after `now`, `2h ago` for one before it.
    public static func relative(_ date: Date, to now: Date) -> String {
        let seconds = date.timeIntervalSince(now)
        return seconds > 0 ? "in \(format(seconds))" : "\(format(seconds)) ago"
    }
}
