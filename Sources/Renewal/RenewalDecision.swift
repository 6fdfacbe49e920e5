#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// When a cluster's certificate is to be fetched again, and why: what the scheduler arms its
/// timer for, and what the daemon logs and `status` shows.
package struct RenewalDecision: Sendable, Hashable {
    /// Which rule of the renewal policy set ``RenewalDecision/renewAt``.
    package enum Reason: Sendable, Hashable, CustomStringConvertible {
        /// No usable certificate: none in the kubeconfig, one that does not parse, or one whose
        /// validity period is empty.
        case missing
        /// The certificate starts in the future (the issuer's clock is ahead of ours) and when it
        /// was fetched is not known: fetch now, so the refresh time anchors the next schedule.
        case notYetValid
        /// The certificate has expired.
        case expired
        /// Less than a tenth of its lifetime remains.
        case nearExpiry
        /// Two thirds of its lifetime (less the jitter) have passed.
        case dueByLifetime
        /// `max_refresh` after the last refresh comes before the lifetime rule.
        case maxRefresh
        /// Not due yet: at two thirds of its lifetime, less the jitter.
        case scheduled

        package var description: String {
            switch self {
            case .missing: "no usable certificate"
            case .notYetValid: "certificate not valid yet and never refreshed here"
            case .expired: "certificate expired"
            case .nearExpiry: "less than a tenth of the certificate's lifetime left"
            case .dueByLifetime: "two thirds of the certificate's lifetime passed"
            case .maxRefresh: "max_refresh since the last refresh"
            case .scheduled: "at two thirds of the certificate's lifetime"
            }
        }
    }

    /// When to fetch. Never before the `now` it was decided at, so a timer can be armed with it
    /// as it is; equal to that `now` when the fetch is due.
    package var renewAt: Date
    package var reason: Reason
    /// How far the certificate's `notBefore` lies ahead of the clock, when it does. The daemon
    /// warns about the clock, as tbot does; the schedule already allows for it.
    package var clockSkew: Duration?

    package init(renewAt: Date, reason: Reason, clockSkew: Duration? = nil) {
        self.renewAt = renewAt
        self.reason = reason
        self.clockSkew = clockSkew
    }
}
