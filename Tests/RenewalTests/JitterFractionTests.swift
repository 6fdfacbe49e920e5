import Foundation
import Kubeconfig
import Renewal
import Testing

@Suite struct JitterFractionTests {
    let oneDay = CertificateValidity(notBefore: t0, notAfter: t0 + days(1))

    /// The fraction must not change between processes, builds or releases: a daemon restarted
    /// mid-lifetime would otherwise move every renewal. The expected values were computed once by
    /// a separate Python implementation (FNV-1a 64 over the name's UTF-8 bytes and the
    /// little-endian bit patterns of notBefore and notAfter as seconds since 2001, then the
    /// SplitMix64 finaliser, the top 53 bits scaled by 2^-53), not by this code.
    @Test(
        arguments: [
            ("prod", 0, 86_400, 0.7780056951104327),
            ("staging", 0, 86_400, 0.8224023130606033),
            ("prod", 1, 86_401, 0.23373702281563002),
            ("shop-ci", 0, 9, 0.948939063069418),
            ("prod-ü", 0, 604_800, 0.40808999362225207),
        ] as [(String, Double, Double, Double)]
    )
    func fractionIsPinnedForEveryProcess(cluster: String, notBefore: Double, notAfter: Double, fraction: Double) {
        let certificate = CertificateValidity(notBefore: t0 + seconds(notBefore), notAfter: t0 + seconds(notAfter))
        #expect(RenewalPolicy.jitterFraction(cluster: cluster, certificate: certificate) == fraction)
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
