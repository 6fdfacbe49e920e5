import Durations

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// systemd's one-line `STATUS=`, from the clusters' states:
/// `5 fresh, 1 retrying (prod-eu: ...; next in 40s), 3 waiting for the API rate limit (next
/// in 6s); next renewal prod-us in 13h`. A cluster waiting for its credential set's pacer is
/// counted as waiting, whatever its certificate: it is on its way to a renewal.
package enum StatusLine {
    package static func make(_ states: [(watchName: String, state: ClusterState)], now: Date) -> String {
        let rateLimited = states.filter { $0.state.rateLimited != nil }
        let others = states.filter { $0.state.rateLimited == nil }
        let failing = others.filter { $0.state.isFailing }
        let fresh = others.filter { !$0.state.isFailing && ($0.state.certificateNotAfter ?? .distantPast) > now }
        var parts = ["\(fresh.count) fresh"]
        if let first = failing.first {
            let next = first.state.nextAttempt.map { " next \(DurationText.relative($0, to: now))" } ?? ""
            let reason = first.state.lastError.map { String($0.prefix(80)) } ?? ""
            parts.append("\(failing.count) retrying (\(first.watchName): \(reason);\(next))")
        }
        if let soonest = rateLimited.compactMap(\.state.rateLimited?.until).min() {
            parts.append("\(rateLimited.count) waiting for the API rate limit (next \(DurationText.relative(soonest, to: now)))")
        }
        let pending = others.count - fresh.count - failing.count
        if pending > 0 { parts.append("\(pending) pending") }
        var line = parts.joined(separator: ", ")
        let upcoming = others.filter { !$0.state.isFailing }
            .compactMap { entry in entry.state.nextAttempt.map { (entry.watchName, $0) } }
            .filter { $0.1 > now }
            .min { $0.1 < $1.1 }
        if let (name, date) = upcoming {
            line += "; next renewal \(name) \(DurationText.relative(date, to: now))"
        }
        return line
    }

    /// The line after the first list call the last listing could not make, after the reason of
    /// a refused reload.
    package static func make(
        _ states: [(watchName: String, state: ClusterState)],
        listingFailures: [String],
        refusedConfig: String?,
        now: Date
    ) -> String {
        var line = make(states, now: now)
        if let failure = listingFailures.first {
            let more = listingFailures.count > 1 ? " (and \(listingFailures.count - 1) more)" : ""
            line = "fleet listing incomplete, nothing it could have shown is pruned: \(failure.prefix(200))\(more); \(line)"
        }
        guard let refusedConfig else { return line }
        return "configuration refused, running on the previous one: \(refusedConfig.prefix(200)); \(line)"
    }
}
