#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Renewal

/// What the daemon knows about one cluster's refreshes, kept across restarts in the state file.
///
/// Holds times, counts and one error sentence, never credential data: the state file is for
/// `status` and for people reading it, and the certificate itself lives in the kubeconfig.
public struct ClusterState: Sendable, Hashable, Codable {
    /// When a certificate was last fetched and written.
    public var lastSuccess: Date?
    /// Why the most recent failed refresh failed: one sentence, already free of secrets. Kept
    /// after a later success, for history; ``isFailing`` tells whether it still applies.
    public var lastError: String?
    /// When ``lastError`` happened.
    public var lastErrorAt: Date?
    /// Failures since the last success (the "attempts" `status` shows).
    public var consecutiveFailures: Int
    /// When the daemon will try next, by its schedule or its backoff.
    public var nextAttempt: Date?
    /// `notAfter` of the certificate the daemon last wrote.
    public var certificateNotAfter: Date?

    public init(
        lastSuccess: Date? = nil,
        lastError: String? = nil,
        lastErrorAt: Date? = nil,
        consecutiveFailures: Int = 0,
        nextAttempt: Date? = nil,
        certificateNotAfter: Date? = nil
    ) {
        self.lastSuccess = lastSuccess
        self.lastError = lastError
        self.lastErrorAt = lastErrorAt
        self.consecutiveFailures = consecutiveFailures
        self.nextAttempt = nextAttempt
        self.certificateNotAfter = certificateNotAfter
    }

    /// Whether the cluster is failing now: failures are counted, or the last error came after
    /// the last success (a state written by hand or by an older daemon may lack the count).
    public var isFailing: Bool {
        if consecutiveFailures > 0 { return true }
        guard lastError != nil else { return false }
        guard let lastSuccess else { return true }
        return (lastErrorAt ?? .distantPast) > lastSuccess
    }

    /// Records a certificate fetched and written at `now`, due again at `nextAttempt`.
    public mutating func recordSuccess(at now: Date, certificateNotAfter: Date, nextAttempt: Date) {
        lastSuccess = now
        consecutiveFailures = 0
        self.certificateNotAfter = certificateNotAfter
        self.nextAttempt = nextAttempt
    }

    /// Records a failed refresh at `now`, with the count and the next attempt from the cluster's
    /// retry state (after its `recordFailure`).
    public mutating func recordFailure(_ message: String, at now: Date, retry: ClusterRetryState) {
        lastError = message
        lastErrorAt = now
        consecutiveFailures = retry.consecutiveFailures
        nextAttempt = retry.nextAttempt
    }
}
