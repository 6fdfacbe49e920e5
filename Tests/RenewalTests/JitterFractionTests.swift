import Foundation
import Kubeconfig
import Renewal
import Testing

@Suite struct JitterFractionTests {
    let oneDay = CertificateValidity(notBefore: t0, notAfter: t0 + days(1))

    @Test func sameClusterAndCertificateGiveTheSameFraction() {
        #expect(RenewalPolicy.jitterFraction(cluster: "prod", certificate: oneDay) == RenewalPolicy.jitterFraction(cluster: "prod", certificate: oneDay))
    }

    @Test func anotherClusterOrCertificateGivesAnotherFraction() {
        let prod = RenewalPolicy.jitterFraction(cluster: "prod", certificate: oneDay)
        let next = CertificateValidity(notBefore: t0 + seconds(1), notAfter: t0 + seconds(1) + days(1))
        #expect(RenewalPolicy.jitterFraction(cluster: "staging", certificate: oneDay) != prod)
        #expect(RenewalPolicy.jitterFraction(cluster: "prod", certificate: next) != prod)
    }

    @Test func fractionsAreSpreadEvenlyOverZeroToOne() {
        let fractions = (0..<2_000).map { RenewalPolicy.jitterFraction(cluster: "cluster-\($0)", certificate: oneDay) }
        #expect(fractions.allSatisfy { (0..<1).contains($0) })
        var bins = [Int](repeating: 0, count: 10)
        for fraction in fractions { bins[Int(fraction * 10)] += 1 }
        #expect(bins.allSatisfy { (140...260).contains($0) }, "\(bins)")
    }

    @Test func reEvaluatingWithTheStableFractionKeepsTheRenewalTime() {
        let policy = RenewalPolicy()
        let fraction = RenewalPolicy.jitterFraction(cluster: "prod", certificate: oneDay)
        let times = stride(from: 0.0, to: hours(14), by: minutes(1)).map {
            policy.decide(certificate: oneDay, lastRefresh: t0, now: t0 + $0, jitterFraction: fraction).renewAt
        }
        #expect(Set(times).count == 1)
        #expect(times[0] > t0 + hours(16) - hours(24) / 20)
        #expect(times[0] <= t0 + hours(16))
    }
}
