import Kubeconfig

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// When to fetch a cluster's certificate again. Pure: the clock and the jitter are inputs.
///
/// `renewAt = notBefore + 2/3·lifetime − U[0, lifetime/20)`, computed from the certificate already
/// in the kubeconfig so that a restart fetches nothing fresh; at once when there is no usable
/// certificate or less than `lifetime/10` remains; and no later than `max_refresh` after the last
/// refresh, because binding or unbinding an EIP re-issues the certificate and changes the endpoints
/// without anything else telling us.
package struct RenewalPolicy: Sendable, Hashable {
    /// The share of the lifetime after which a certificate is renewed: 2/3, as certbot and
    /// `step ca renew` do, which leaves a third for retries (8 h of a 1-day certificate).
    package var renewalPoint: Double
    /// The share of the lifetime over which renewals are spread, earlier: 1/20 (72 min of a
    /// 1-day certificate), so clusters fetched together do not come back together.
    package var jitterSpan: Double
    /// Below this share of the lifetime left, renew at once: 1/10.
    package var nearExpiryShare: Double
    /// `max_refresh`: the longest a certificate is kept, whatever its lifetime.
    package var maxRefresh: Duration

    package init(
        renewalPoint: Double = 2.0 / 3.0,
        jitterSpan: Double = 1.0 / 20,
        nearExpiryShare: Double = 1.0 / 10,
        maxRefresh: Duration = .seconds(24 * 3_600)
    ) {
        self.renewalPoint = renewalPoint
        self.jitterSpan = jitterSpan
        self.nearExpiryShare = nearExpiryShare
        self.maxRefresh = maxRefresh
    }

    /// Decides when to fetch a cluster's certificate.
    ///
    /// A certificate whose `notBefore` is later than its fetch (`lastRefresh`) was issued by a
    /// clock ahead of ours. Real time passes at the same rate on both, so its lifetime is counted
    /// on our clock from the fetch: a skew never pushes a renewal past the real expiry, now or
    /// after `notBefore` has passed. (A certificate put in the kubeconfig since the last refresh
    /// is counted the same way, which can only make its renewal earlier.) One whose `notBefore`
    /// is ahead of `now` with no refresh known is fetched now
    /// (``RenewalDecision/Reason/notYetValid``), so that a refresh anchors it.
    ///
    /// - Parameters:
    ///   - certificate: the client certificate in the kubeconfig; `nil` when missing or unparseable.
    ///   - lastRefresh: when the cluster was last fetched successfully, if known. Without it,
    ///     `max_refresh` counts from the certificate's `notBefore`. One in the future (the clock
    ///     was set back) counts as `now`.
    ///   - now: the wall clock.
    ///   - jitterFraction: in [0, 1), the place in the `U[0, lifetime/20)` spread. Keep one for the
    ///     life of the certificate: drawing anew at every evaluation (the 60 s tick) would pull
    ///     renewals to the early end. ``jitterFraction(cluster:certificate:)`` is such a one.
    package func decide(
        certificate: CertificateValidity?,
        lastRefresh: Date?,
        now: Date,
        jitterFraction: Double
    ) -> RenewalDecision {
        precondition((0..<1).contains(jitterFraction), "jitterFraction \(jitterFraction) is not in [0, 1)")
        guard let certificate, certificate.lifetime > 0 else {
            return RenewalDecision(renewAt: now, reason: .missing)
        }
        let lifetime = certificate.lifetime
        let refreshed = lastRefresh.map { min($0, now) }

        let clockSkew = certificate.notBefore > now ? Duration(from: now, to: certificate.notBefore) : nil
        let issued: Date
        if let refreshed, refreshed < certificate.notBefore {
            issued = refreshed
        } else if clockSkew != nil {
            return RenewalDecision(renewAt: now, reason: .notYetValid, clockSkew: clockSkew)
        } else {
            issued = certificate.notBefore
        }

        let remaining = issued.addingTimeInterval(lifetime).timeIntervalSince(now)
        if remaining <= 0 {
            return RenewalDecision(renewAt: now, reason: .expired, clockSkew: clockSkew)
        }
        if remaining < lifetime * nearExpiryShare {
            return RenewalDecision(renewAt: now, reason: .nearExpiry, clockSkew: clockSkew)
        }

        let byLifetime = issued.addingTimeInterval(lifetime * renewalPoint - lifetime * jitterSpan * jitterFraction)
        let byMaxRefresh = (refreshed ?? issued).advanced(by: maxRefresh)
        let (at, reason): (Date, RenewalDecision.Reason) =
            if byMaxRefresh < byLifetime {
                (byMaxRefresh, .maxRefresh)
            } else {
                (byLifetime, byLifetime > now ? .scheduled : .dueByLifetime)
            }
        return RenewalDecision(renewAt: max(at, now), reason: reason, clockSkew: clockSkew)
    }
}
