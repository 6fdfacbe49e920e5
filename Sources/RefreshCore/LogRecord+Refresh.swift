#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The lines ``RefreshMachine`` logs, in one place: docs/operations.md lists them for operators
/// who search the journal, so their wording changes only here.
extension LogRecord {
    static func certificateRefreshed(_ watchName: String, validUntil: Date) -> LogRecord {
        LogRecord(.info, "certificate refreshed", [("cluster", watchName), ("valid-until", validUntil.formatted(.iso8601))])
    }

    static func refreshFailed(_ watchName: String, _ failure: FetchFailure, retry: Date) -> LogRecord {
        LogRecord(.warning, "refresh failed", [("cluster", watchName), ("error", failure.sentence), ("retry", retry.formatted(.iso8601))])
    }

    static func credentialSetRefused(_ credentials: String, pausedUntil: Date) -> LogRecord {
        LogRecord(
            .error,
            "credential set refused; pausing every cluster that uses it",
            [("credentials", credentials), ("until", pausedUntil.formatted(.iso8601))]
        )
    }

    static func credentialSetAccepted(_ credentials: String) -> LogRecord {
        LogRecord(.notice, "credential set accepted again; resuming its clusters", [("credentials", credentials)])
    }

    static func throttled(_ credentials: String, cluster watchName: String, until: Date, limitPerMinute: Int?) -> LogRecord {
        let limit = limitPerMinute.map { "\($0)" } ?? "unknown"
        return LogRecord(
            .notice,
            "API gateway throttled the credential set; pacing its requests",
            [("credentials", credentials), ("cluster", watchName), ("limit-per-minute", limit), ("until", until.formatted(.iso8601))]
        )
    }

    static func writeFailed(_ reason: String) -> LogRecord {
        LogRecord(.error, "cannot write the kubeconfig", [("error", reason)])
    }

    static func pruned(_ watchNames: Set<String>) -> LogRecord {
        LogRecord(.notice, "removed clusters no longer in the watch list", [("clusters", "\(watchNames.sorted())")])
    }

    static func restored(_ changes: [String]) -> LogRecord {
        LogRecord(.notice, "restored managed entries changed outside", [("changes", "\(changes)")])
    }

    static func kubeconfigUnreadable(_ reason: String) -> LogRecord {
        LogRecord(.info, "kubeconfig not readable yet after an outside change; checking again", [("error", reason)])
    }

    static func configurationReloaded(clusters: Int) -> LogRecord {
        LogRecord(.notice, "configuration reloaded", [("clusters", "\(clusters)")])
    }

    static func configurationRefused(_ reason: String) -> LogRecord {
        LogRecord(.error, "new configuration refused; still running on the previous one", [("error", reason)])
    }

    static func clustersLeft(_ watchNames: [String]) -> LogRecord {
        LogRecord(.notice, "clusters left the watch list", [("clusters", "\(watchNames)")])
    }

    static func listingFailed(_ failure: String) -> LogRecord {
        LogRecord(.warning, "fleet listing failed; nothing it could have shown is pruned", [("error", failure)])
    }

    static func resumedFromSuspend(slept: Duration) -> LogRecord {
        LogRecord(.notice, "resumed from suspend; re-checking after the network settles", [("slept", "\(slept)")])
    }

    static func wallClockJumped(by jump: Duration) -> LogRecord {
        LogRecord(.notice, "the wall clock jumped; re-checking every cluster", [("by", "\(jump)")])
    }

    static let renewingEveryCluster = LogRecord(.notice, "renewing every cluster now")
}
