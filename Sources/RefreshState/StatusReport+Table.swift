import Durations

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension StatusReport {
    /// The table `status` prints: aligned columns, times relative to ``generatedAt``, then a line
    /// with the overall health and how old the daemon's state is.
    package var table: String {
        var lines = [["NAME", "CLUSTER", "CONTEXTS", "MODE", "EXPIRES", "LAST REFRESH", "NEXT REFRESH", "LAST ERROR"]]
        for row in rows {
            lines.append([
                row.name,
                row.consoleName ?? "-",
                row.contexts.isEmpty ? "-" : row.contexts.joined(separator: ","),
                row.credentialMode?.rawValue ?? "-",
                expiry(of: row),
                row.lastRefresh.map { DurationText.relative($0, to: generatedAt) } ?? "-",
                nextRefresh(of: row),
                error(of: row),
            ])
        }
        let listing = listingFailures.map { "fleet listing incomplete, nothing it could have shown is pruned: \($0)" }
        return ([TextTable.render(lines), ""] + listing + [summary]).joined(separator: "\n")
    }

    /// `health: degraded (2 fresh, 1 degraded); daemon state written 1m ago`
    private var summary: String {
        let counts = StatusHealth.allCases.compactMap { health -> String? in
            let count = rows.count { $0.health == health }
            return count > 0 ? "\(count) \(health.rawValue)" : nil
        }
        let counted = counts.isEmpty ? "no clusters" : counts.joined(separator: ", ")
        let state =
            stateUpdatedAt.map { "daemon state written \(DurationText.relative($0, to: generatedAt))" }
            ?? "no daemon state (the daemon has not run)"
        return "health: \(health.rawValue) (\(counted)); \(state)"
    }

    private func expiry(of row: StatusRow) -> String {
        guard let notAfter = row.certificateNotAfter else { return "missing" }
        return notAfter > generatedAt
            ? DurationText.relative(notAfter, to: generatedAt) : "expired \(DurationText.relative(notAfter, to: generatedAt))"
    }

    /// When the next refresh is due; for a cluster waiting for its credential set's pacer, when
    /// the pacer lets the set go on.
    private func nextRefresh(of row: StatusRow) -> String {
        if let wait = row.rateLimited {
            let when = wait.until > generatedAt ? DurationText.relative(wait.until, to: generatedAt) : "now"
            return "\(when) (API rate limit)"
        }
        return row.nextRefresh > generatedAt ? DurationText.relative(row.nextRefresh, to: generatedAt) : "overdue"
    }

    /// The message on one line, with how many failures in a row and how long ago.
    private func error(of row: StatusRow) -> String {
        guard let message = row.lastError else { return "-" }
        let line = message.split(whereSeparator: \.isNewline).joined(separator: " ")
        var details: [String] = []
        if row.consecutiveFailures > 0 {
            details.append(row.consecutiveFailures == 1 ? "1 failure" : "\(row.consecutiveFailures) failures")
        }
        if let at = row.lastErrorAt {
            details.append(DurationText.relative(at, to: generatedAt))
        }
        return details.isEmpty ? line : "\(line) (\(details.joined(separator: ", ")))"
    }
}
