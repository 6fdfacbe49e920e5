#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension Duration {
    /// The same span in seconds, as Foundation's `Date` counts.
    package var timeInterval: TimeInterval {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) * 1e-18
    }

    /// The span from `start` to `end`; negative when `end` comes first.
    package init(from start: Date, to end: Date) {
        self = .seconds(end.timeIntervalSince(start))
    }
}

extension Date {
    /// This instant moved by `duration`.
    package func advanced(by duration: Duration) -> Date {
        addingTimeInterval(duration.timeInterval)
    }
}
