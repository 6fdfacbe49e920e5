import WatchList

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Where a password is exchanged for a token when the credential set names no `iam_endpoint`.
enum IAMEndpoint {
    /// Its tokens work in every region.
    static let global = URL(string: "https://iam.myhuaweicloud.com")!

    /// Huawei Cloud's regional endpoint (``Cloud/iamEndpoint(forRegion:)``), whose tokens work
    /// in that region only, which is all a cluster of the region needs; the global endpoint when
    /// the region is unknown.
    static func forRegion(_ region: String?) -> URL {
        region.flatMap(Cloud.huaweicloud.iamEndpoint(forRegion:)) ?? global
    }
}
