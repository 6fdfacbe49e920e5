#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The two ways Huawei's APIs write times that the simulator reads or writes.
enum HuaweiTime {
    /// IAM's `expires_at`/`issued_at`: UTC with six fractional digits, e.g. `2019-02-13T06:52:13.855000Z`.
    static func iamTimestamp(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970.rounded(.down)
        let microseconds = Int((date.timeIntervalSince1970 - seconds) * 1_000_000)
        let fields = utcCalendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: Date(timeIntervalSince1970: seconds))
        func digits(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(digits(fields.year!, 4))-\(digits(fields.month!, 2))-\(digits(fields.day!, 2))"
            + "T\(digits(fields.hour!, 2)):\(digits(fields.minute!, 2)):\(digits(fields.second!, 2)).\(digits(microseconds, 6))Z"
    }

    /// CCE's timestamps at Open Telekom Cloud, Go's default time format with microseconds:
    /// `2026-06-10 14:06:58.211095 +0000 UTC`.
    static func goTimestamp(_ date: Date) -> String {
        // `2026-06-10T14:06:58.211095Z` → `2026-06-10 14:06:58.211095 +0000 UTC`
        String(iamTimestamp(date).dropLast()).replacing("T", with: " ") + " +0000 UTC"
    }

    /// Parses CCE's `expire_at`, Go's time format: `2025-01-01 16:00:00 +0000 UTC`; `nil` for anything else.
    static func expireAt(_ text: String) -> Date? {
        guard let match = text.wholeMatch(of: /(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2}) [A-Z]{1,5}/) else {
            return nil
        }
        let fields = DateComponents(
            calendar: utcCalendar,
            timeZone: .gmt,
            year: Int(match.1),
            month: Int(match.2),
            day: Int(match.3),
            hour: Int(match.4),
            minute: Int(match.5),
            second: Int(match.6)
        )
        guard fields.isValidDate, let local = fields.date else { return nil }
        let offset = (Int(match.8)! * 3600 + Int(match.9)! * 60) * (match.7 == "-" ? -1 : 1)
        return local - TimeInterval(offset)
    }

    /// Whole days from `now` to the same instant five years later: CCE's longest certificate.
    static func fiveYearsInDays(from now: Date) -> Int {
        let later = utcCalendar.date(byAdding: .year, value: 5, to: now)!
        return Int(later.timeIntervalSince(now) / 86_400)
    }

    private static let utcCalendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        return calendar
    }()
}
