import WatchList

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The `Retry-After` header of a 429 or 503 answer (RFC 9110 §10.2.3).
enum RetryAfter {
    /// How long to wait: the header is either a number of seconds or an HTTP date, in any of the
    /// three formats a recipient must accept (`Sun, 06 Nov 1994 08:49:37 GMT`, the obsolete
    /// `Sunday, 06-Nov-94 08:49:37 GMT` and asctime's `Sun Nov  6 08:49:37 1994`). A date in the
    /// past means zero; anything else is `nil`.
    static func parse(_ value: String, now: Date) -> Duration? {
        let trimmed = String(value.trimmingWhitespace)
        if !trimmed.isEmpty, trimmed.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) {
            // More digits than fit are as good as "very long": cap rather than refuse.
            return .seconds(Int64(trimmed) ?? Int64.max / 1_000_000_000_000)
        }
        guard let date = httpDate(trimmed, now: now) else { return nil }
        let seconds = max(0, date.timeIntervalSince(now).rounded(.up))
        return .seconds(Int64(seconds))
    }

    /// The instant an HTTP date names, always in GMT.
    static func httpDate(_ text: String, now: Date) -> Date? {
        let separators: Set<Character> = [" ", ",", "-", ":"]
        let tokens = text.split(whereSeparator: { separators.contains($0) }).map(String.init)
        let fields: (day: String, month: String, year: String, time: ArraySlice<String>)
        switch tokens.count {
        case 8 where tokens[7] == "GMT":
            // IMF-fixdate and RFC 850: weekday, day, month, year, hh, mm, ss, GMT.
            fields = (tokens[1], tokens[2], tokens[3], tokens[4...6])
        case 7:
            // asctime: weekday, month, day, hh, mm, ss, year.
            fields = (tokens[2], tokens[1], tokens[6], tokens[3...5])
        default:
            return nil
        }
        let time = fields.time.compactMap { $0.count == 2 ? Int($0) : nil }
        guard let month = months.firstIndex(of: fields.month).map({ $0 + 1 }),
            let day = Int(fields.day), let rawYear = Int(fields.year), time.count == 3
        else { return nil }
        let year = fields.year.count == 2 ? fullYear(twoDigits: rawYear, now: now) : rawYear
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "GMT") ?? .gmt
        let components = DateComponents(year: year, month: month, day: day, hour: time[0], minute: time[1], second: time[2])
        guard components.isValidDate(in: calendar) else { return nil }
        return calendar.date(from: components)
    }

    /// RFC 9110: a two-digit year more than 50 years in the future is in the past century.
    private static func fullYear(twoDigits: Int, now: Date) -> Int {
        let currentYear = Calendar(identifier: .gregorian).component(.year, from: now)
        let century = currentYear / 100 * 100
        let candidate = century + twoDigits
        return candidate > currentYear + 50 ? candidate - 100 : candidate
    }

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
}
