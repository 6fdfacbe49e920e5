#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One cluster's failures in a row and when it may try again. Pure: the scheduler passes the
/// time, the certificate's expiry and the jitter.
///
/// Each cluster has its own, so one cluster's failure never delays another (Vault Agent's
/// "one failing template re-renders all" is what this avoids). A 401 also goes to the
/// credential's ``CredentialCircuitBreaker``, whose pause comes on top of this.
package struct ClusterRetryState: Sendable, Hashable {
    package var backoff: Backoff
    /// Failures since the last success: the backoff exponent, and "attempts" in `status`.
    package private(set) var consecutiveFailures: Int
    /// The most recent failure since the last success.
    package private(set) var lastFailure: FailureKind?
    /// When the next attempt is due after the last failure; `nil` after a success.
    package private(set) var nextAttempt: Date?

    package init(backoff: Backoff = Backoff()) {
        self.backoff = backoff
        consecutiveFailures = 0
        lastFailure = nil
        nextAttempt = nil
    }

    /// Records a failed refresh and returns when to try again.
    ///
    /// - 429 with `Retry-After`: no sooner than it says, nor than the backoff would.
    /// - 403, 404, conflict: the slow delay (30 min), jittered.
    /// - Anything else: the backoff ceiling for the failure count, jittered.
    ///
    /// Except for `Retry-After` (the server's explicit word), the wait never goes past the
    /// certificate's expiry: the last attempt a working certificate allows is not slept through.
    /// Once it has expired, the plain delays apply (at most 5 min apart, for ever).
    ///
    /// - Parameters:
    ///   - now: when the failure was seen.
    ///   - certificateExpiry: `notAfter` of the certificate in the kubeconfig, if any.
    ///   - jitterFraction: in [0, 1), the place in [d/2, d); a fresh random one every time.
    @discardableResult
    package mutating func recordFailure(
        _ kind: FailureKind,
        at now: Date,
        certificateExpiry: Date?,
        jitterFraction: Double
    ) -> Date {
        consecutiveFailures += 1
        lastFailure = kind
        let ceiling = kind.retriesSlowly ? backoff.slowDelay : backoff.ceiling(afterFailures: consecutiveFailures)
        var next = now.advanced(by: Backoff.jittered(ceiling, fraction: jitterFraction))
        if case .throttled(let retryAfter?) = kind {
            next = max(next, now.advanced(by: retryAfter))
        } else if let certificateExpiry, certificateExpiry > now {
            next = min(next, certificateExpiry)
        }
        nextAttempt = next
        return next
    }

    /// Records a successful refresh: the next failure starts again from the initial delay.
    package mutating func recordSuccess() {
        consecutiveFailures = 0
        lastFailure = nil
        nextAttempt = nil
    }
}
