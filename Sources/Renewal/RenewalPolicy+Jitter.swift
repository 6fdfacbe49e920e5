import Kubeconfig

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension RenewalPolicy {
    /// A jitter fraction in [0, 1) that is the same for a cluster and certificate at every
    /// evaluation and across restarts, and spread evenly over clusters and certificates.
    ///
    /// It needs no stored state and keeps ``decide(certificate:lastRefresh:now:jitterFraction:)``
    /// stable under the 60 s re-evaluation; the cluster name tells apart certificates issued in
    /// the same second. FNV-1a then the SplitMix64 finaliser, not `Hasher`, whose seed changes
    /// with every process.
    package static func jitterFraction(cluster: String, certificate: CertificateValidity) -> Double {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ byte: UInt8) {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        for byte in cluster.utf8 { mix(byte) }
        for instant in [certificate.notBefore, certificate.notAfter] {
            var bits = instant.timeIntervalSinceReferenceDate.bitPattern
            for _ in 0..<8 {
                mix(UInt8(truncatingIfNeeded: bits))
                bits >>= 8
            }
        }
        hash = (hash ^ (hash >> 30)) &* 0xbf58_476d_1ce4_e5b9
        hash = (hash ^ (hash >> 27)) &* 0x94d0_49bb_1331_11eb
        hash ^= hash >> 31
        return Double(hash >> 11) * 0x1p-53
    }
}
