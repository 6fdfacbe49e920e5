import Kubeconfig
import Renewal

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What is known about one cluster's refreshes: the one per-cluster state from which `status`,
/// systemd's `STATUS=` line and the state file are all derived.
///
/// Holds times, counts and one error sentence, never credential data: the state file is for
/// `status` and for people reading it, and the certificate itself lives in the kubeconfig.
package struct ClusterState: Sendable, Hashable, Codable {
    /// When a certificate was last fetched and written. `max_refresh` counts from here, in `sync`
    /// and `run` alike.
    package var lastSuccess: Date?
    /// Why the most recent failed refresh failed: one sentence, already free of secrets. Kept
    /// after a later success, for history; ``isFailing`` tells whether it still applies.
    package var lastError: String?
    /// When ``lastError`` happened.
    package var lastErrorAt: Date?
    /// Failures since the last success (the "attempts" `status` shows).
    package var consecutiveFailures: Int
    /// When the next attempt is due, by the renewal schedule or the backoff.
    package var nextAttempt: Date?
    /// `notAfter` of the client certificate in the kubeconfig.
    package var certificateNotAfter: Date?
    /// `notBefore` of the same certificate; with ``certificateNotAfter`` it gives the lifetime.
    package var certificateNotBefore: Date?
    /// Set while the cluster's fetch waits for its credential set's pacer because the API
    /// gateway throttled the set: waiting, not failing.
    package var rateLimited: RateLimitWait?
    /// The cluster's name in the console, when the watch list or a discovery gave it: `list`
    /// and `status` show it, and for a discovered cluster only the listing knows it.
    package var consoleName: String?

    package init(
        lastSuccess: Date? = nil,
        lastError: String? = nil,
        lastErrorAt: Date? = nil,
        consecutiveFailures: Int = 0,
        nextAttempt: Date? = nil,
        certificateNotAfter: Date? = nil,
        certificateNotBefore: Date? = nil,
        rateLimited: RateLimitWait? = nil,
        consoleName: String? = nil
    ) {
        self.lastSuccess = lastSuccess
        self.lastError = lastError
        self.lastErrorAt = lastErrorAt
        self.consecutiveFailures = consecutiveFailures
        self.nextAttempt = nextAttempt
        self.certificateNotAfter = certificateNotAfter
        self.certificateNotBefore = certificateNotBefore
        self.rateLimited = rateLimited
        self.consoleName = consoleName
    }

    /// The client certificate's validity, when both ends are known.
    package var certificate: CertificateValidity? {
        get {
            guard let certificateNotBefore, let certificateNotAfter else { return nil }
            return CertificateValidity(notBefore: certificateNotBefore, notAfter: certificateNotAfter)
        }
        set {
            certificateNotBefore = newValue?.notBefore
            certificateNotAfter = newValue?.notAfter
        }
    }

    /// Whether the cluster is failing now: failures are counted, or the last error came after
    /// the last success (a state written by hand or by an older daemon may lack the count).
    package var isFailing: Bool {
        if consecutiveFailures > 0 { return true }
        guard lastError != nil else { return false }
        guard let lastSuccess else { return true }
        return (lastErrorAt ?? .distantPast) > lastSuccess
    }

    /// Why and until when a cluster waits for its credential set's pacer.
    package struct RateLimitWait: Sendable, Hashable, Codable {
        /// When the pacer lets the set's next request go; the cluster may wait for more turns
        /// when others of the set are ahead of it.
        package var until: Date
        /// The gateway's last 429 for the set, as one sentence.
        package var reason: String

        package init(until: Date, reason: String) {
            self.until = until
            self.reason = reason
        }
    }

    /// Records a certificate fetched and written at `now`.
    package mutating func recordSuccess(at now: Date, certificate: CertificateValidity) {
        lastSuccess = now
        consecutiveFailures = 0
        self.certificate = certificate
    }

    /// Records a failed refresh at `now`, with the count and the next attempt from the cluster's
    /// retry state (after its `recordFailure`).
    package mutating func recordFailure(_ message: String, at now: Date, retry: ClusterRetryState) {
        lastError = message
        lastErrorAt = now
        consecutiveFailures = retry.consecutiveFailures
        nextAttempt = retry.nextAttempt
    }
}
