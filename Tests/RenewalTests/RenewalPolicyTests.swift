import Foundation
import Kubeconfig
import Renewal
import Testing

@Suite struct RenewalPolicyTests {
    let policy = RenewalPolicy()
    let oneDay = CertificateValidity(notBefore: t0, notAfter: t0 + days(1))
    let fiveYears = CertificateValidity(notBefore: t0, notAfter: t0 + days(1_827))

    @Test func missingOrUnparseableCertificateRenewsNow() {
        let decision = policy.decide(certificate: nil, lastRefresh: t0, now: t0 + hours(1), jitterFraction: 0.5)
        #expect(decision == RenewalDecision(renewAt: t0 + hours(1), reason: .missing))
    }

    @Test func certificateWithAnEmptyValidityPeriodCountsAsMissing() {
        let empty = CertificateValidity(notBefore: t0, notAfter: t0)
        let decision = policy.decide(certificate: empty, lastRefresh: nil, now: t0 - hours(1), jitterFraction: 0)
        #expect(decision == RenewalDecision(renewAt: t0 - hours(1), reason: .missing))
    }

    @Test(arguments: [
        (0.0, hours(16)),
        (0.5, hours(16) - minutes(36)),
        (0.75, hours(16) - minutes(54)),
    ])
    func oneDayCertificateRenewsAtTwoThirdsLessTheJitter(jitterFraction: Double, after: TimeInterval) {
        let decision = policy.decide(certificate: oneDay, lastRefresh: t0, now: t0 + hours(1), jitterFraction: jitterFraction)
        #expect(decision == RenewalDecision(renewAt: t0 + after, reason: .scheduled))
    }

    @Test func jitterSpreadsRenewalsOverATwentiethOfTheLifetime() {
        let span = hours(24) / 20
        let offsets = (0..<100).map { step in
            let decision = policy.decide(certificate: oneDay, lastRefresh: t0, now: t0, jitterFraction: Double(step) / 100)
            return (t0 + hours(16)).timeIntervalSince(decision.renewAt)
        }
        #expect(Set(offsets).count == 100)
        #expect(offsets.min() == 0)
        #expect(abs(offsets.max()! - span * 0.99) < 1e-6)
        #expect(offsets.allSatisfy { $0 < span })
    }

    @Test func ninetySecondCertificateRenewsAtSixtySecondsLessTheJitter() {
        let short = CertificateValidity(notBefore: t0, notAfter: t0 + seconds(90))
        let decision = policy.decide(certificate: short, lastRefresh: t0, now: t0 + seconds(1), jitterFraction: 0.5)
        #expect(decision == RenewalDecision(renewAt: t0 + seconds(60 - 2.25), reason: .scheduled))
    }

    @Test func twoThirdsOfTheLifetimePassedRenewsNow() {
        let decision = policy.decide(certificate: oneDay, lastRefresh: t0, now: t0 + hours(17), jitterFraction: 0.5)
        #expect(decision == RenewalDecision(renewAt: t0 + hours(17), reason: .dueByLifetime))
    }

    @Test func exactlyATenthOfTheLifetimeLeftIsNotYetNearExpiry() {
        let now = t0 + hours(24) - hours(24) / 10
        let decision = policy.decide(certificate: oneDay, lastRefresh: t0, now: now, jitterFraction: 0)
        #expect(decision == RenewalDecision(renewAt: now, reason: .dueByLifetime))
    }

    @Test func lessThanATenthOfTheLifetimeLeftIsNearExpiry() {
        let now = t0 + hours(24) - hours(24) / 10 + seconds(1)
        let decision = policy.decide(certificate: oneDay, lastRefresh: t0, now: now, jitterFraction: 0)
        #expect(decision == RenewalDecision(renewAt: now, reason: .nearExpiry))
    }

    @Test func nearExpiryThresholdScalesWithTheLifetime() {
        let short = CertificateValidity(notBefore: t0, notAfter: t0 + seconds(90))
        let atNine = policy.decide(certificate: short, lastRefresh: t0, now: t0 + seconds(81), jitterFraction: 0)
        let belowNine = policy.decide(certificate: short, lastRefresh: t0, now: t0 + seconds(81.5), jitterFraction: 0)
        #expect(atNine.reason == .dueByLifetime)
        #expect(belowNine.reason == .nearExpiry)
    }

    @Test(arguments: [hours(24), hours(24) + seconds(1), days(30)])
    func expiredCertificateRenewsNow(after: TimeInterval) {
        let decision = policy.decide(certificate: oneDay, lastRefresh: t0, now: t0 + after, jitterFraction: 0.5)
        #expect(decision == RenewalDecision(renewAt: t0 + after, reason: .expired))
    }

    @Test func fiveYearCertificateIsRefreshedMaxRefreshAfterTheLastRefresh() {
        let refreshed = t0 + days(100)
        let decision = policy.decide(certificate: fiveYears, lastRefresh: refreshed, now: refreshed + hours(1), jitterFraction: 0.5)
        #expect(decision == RenewalDecision(renewAt: refreshed + hours(24), reason: .maxRefresh))
    }

    @Test func overdueMaxRefreshRenewsNow() {
        let now = t0 + days(100)
        let decision = policy.decide(certificate: fiveYears, lastRefresh: now - days(3), now: now, jitterFraction: 0.5)
        #expect(decision == RenewalDecision(renewAt: now, reason: .maxRefresh))
    }

    @Test func configuredMaxRefreshIsUsed() {
        let policy = RenewalPolicy(maxRefresh: .seconds(6 * 3_600))
        let decision = policy.decide(certificate: oneDay, lastRefresh: t0, now: t0 + hours(1), jitterFraction: 0)
        #expect(decision == RenewalDecision(renewAt: t0 + hours(6), reason: .maxRefresh))
    }

    @Test func withoutALastRefreshMaxRefreshCountsFromNotBefore() {
        let fresh = policy.decide(certificate: fiveYears, lastRefresh: nil, now: t0 + hours(1), jitterFraction: 0)
        #expect(fresh == RenewalDecision(renewAt: t0 + hours(24), reason: .maxRefresh))
        let imported = policy.decide(certificate: fiveYears, lastRefresh: nil, now: t0 + days(60), jitterFraction: 0)
        #expect(imported == RenewalDecision(renewAt: t0 + days(60), reason: .maxRefresh))
    }

    @Test func lastRefreshAfterNowCountsAsNow() {
        let now = t0 + days(100)
        let decision = policy.decide(certificate: fiveYears, lastRefresh: now + days(2), now: now, jitterFraction: 0)
        #expect(decision == RenewalDecision(renewAt: now + hours(24), reason: .maxRefresh))
    }

    @Test func notBeforeAheadOfTheClockCountsTheLifetimeFromTheRefresh() {
        let skewed = CertificateValidity(notBefore: t0 + minutes(10), notAfter: t0 + minutes(10) + days(1))
        let decision = policy.decide(certificate: skewed, lastRefresh: t0, now: t0 + seconds(5), jitterFraction: 0)
        #expect(decision == RenewalDecision(renewAt: t0 + hours(16), reason: .scheduled, clockSkew: .seconds(595)))
    }

    @Test func largeClockSkewNeverPostponesRenewalPastTheRealExpiry() {
        let skewed = CertificateValidity(notBefore: t0 + hours(20), notAfter: t0 + hours(44))
        let soon = policy.decide(certificate: skewed, lastRefresh: t0, now: t0 + hours(1), jitterFraction: 0)
        #expect(soon == RenewalDecision(renewAt: t0 + hours(16), reason: .scheduled, clockSkew: .seconds(19 * 3_600)))
        let late = policy.decide(certificate: skewed, lastRefresh: t0, now: t0 + hours(22), jitterFraction: 0)
        #expect(late.reason == .nearExpiry)
    }

    @Test func certificatePutInTheKubeconfigSinceTheLastRefreshIsCountedFromThatRefresh() {
        let decision = policy.decide(certificate: oneDay, lastRefresh: t0 - hours(2), now: t0 + hours(1), jitterFraction: 0)
        #expect(decision == RenewalDecision(renewAt: t0 + hours(14), reason: .scheduled))
    }

    @Test func notBeforeAheadOfTheClockWithoutARefreshFetchesNow() {
        let skewed = CertificateValidity(notBefore: t0 + minutes(10), notAfter: t0 + minutes(10) + days(1))
        let decision = policy.decide(certificate: skewed, lastRefresh: nil, now: t0, jitterFraction: 0.5)
        #expect(decision == RenewalDecision(renewAt: t0, reason: .notYetValid, clockSkew: .seconds(600)))
    }
}
