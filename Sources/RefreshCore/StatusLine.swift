#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Durations

/// systemd's one-line `STATUS=`, from the clusters' states:
/// `5 fresh, 1 retrying (prod-eu: ...; next in 40s); next renewal prod-us in 13h`.
public enum StatusLine {
    public static func make(_ states: [(watchName: String, state: ClusterState)], now: Date) -> String {
        let failing = states.filter { $0.state.isFailing }
        let fresh = states.filter { !$0.state.isFailing && ($0.state.certificateNotAfter ?? .distantPast) > now }
        var parts = ["\(fresh.count) fresh"]
        if let first = failing.first {
            let next = first.state.nextAttempt.map { " next \(DurationText.relative($0, to: now))" } ?? ""
            let reason = first.state.lastError.map { String($0.prefix(80)) } ?? ""
            parts.append("\(failing.count) retrying (\(first.watchName): \(reason);\(next))")
        }
        let waiting = states.count - fresh.count - failing.count
        if waiting > 0 { parts.append("\(waiting) pending") }
        var line = parts.joined(separator: ", ")
        let upcoming = states.filter { !$0.state.isFailing }
            .compactMap { entry in entry.state.nextAttempt.map { (entry.watchName, $0) } }
            .filter { $0.1 > now }
            .min { $0.1 < $1.1 }
        if let (name, date) = upcoming {
            line += "; next renewal \(name) \(DurationText.relative(date, to: now))"
        }
        return line
    }
}
