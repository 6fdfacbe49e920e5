#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The daemon's state at one moment: for `STATUS=`, the state file and logs.
public struct DaemonSnapshot: Sendable, Hashable {
    public struct Cluster: Sendable, Hashable {
        public var name: String
        public var certificateNotAfter: Date?
        public var lastSuccess: Date?
        public var lastError: String?
        public var lastErrorAt: Date?
        public var consecutiveFailures: Int
        public var nextAttempt: Date?
    }

    public var clusters: [Cluster]

    /// One line for systemd's `STATUS=`: `5 fresh, 1 retrying (prod-eu: ..., next 40s); next renewal prod-us 13:05`.
    public func statusLine(now: Date) -> String {
        let failing = clusters.filter { $0.lastError != nil }
        let fresh = clusters.filter { $0.lastError == nil && ($0.certificateNotAfter ?? .distantPast) > now }
        var parts = ["\(fresh.count) fresh"]
        if let first = failing.first {
            let next = first.nextAttempt.map { " next \(Self.relative($0, now: now))" } ?? ""
            let reason = first.lastError.map { String($0.prefix(80)) } ?? ""
            parts.append("\(failing.count) retrying (\(first.name): \(reason);\(next))")
        }
        let waiting = clusters.count - fresh.count - failing.count
        if waiting > 0 { parts.append("\(waiting) pending") }
        var line = parts.joined(separator: ", ")
        let upcoming = clusters.filter { $0.lastError == nil }.compactMap { cluster in cluster.nextAttempt.map { (cluster.name, $0) } }
            .filter { $0.1 > now }.min { $0.1 < $1.1 }
        if let (name, date) = upcoming {
            line += "; next renewal \(name) \(Self.relative(date, now: now))"
        }
        return line
    }

    private static func relative(_ date: Date, now: Date) -> String {
        let seconds = Int(date.timeIntervalSince(now).rounded())
        switch seconds {
        case ..<1: return "now"
        case ..<120: return "in \(seconds)s"
        case ..<7_200: return "in \(seconds / 60)m"
        case ..<172_800: return "in \(seconds / 3_600)h"
        default: return "in \(seconds / 86_400)d"
        }
    }
}
