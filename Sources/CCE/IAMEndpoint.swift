#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import WatchList

/// Where a password is exchanged for a token when the credential set names no `iam_endpoint`.
enum IAMEndpoint {
    /// Its tokens work in every region.
    static let global = URL(string: "https://iam.myhuaweicloud.com")!

    /// Regions whose IAM host is not `iam.<region>.myhuaweicloud.com`, like CCE's exception.
    private static let exceptions = ["eu-west-101": "https://iam.eu-west-101.myhuaweicloud.eu"]

    /// `https://iam.<region>.myhuaweicloud.com`, whose tokens work in that region only, which is
    /// all a cluster of the region needs; the global endpoint when the region is unknown.
    static func forRegion(_ region: String?) -> URL {
        guard let region, CCEEndpoint.regional(region) != nil else { return global }
        return URL(string: exceptions[region] ?? "https://iam.\(region).myhuaweicloud.com") ?? global
    }
}
