#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension Cloud {
    /// The base URL of a region's CCE API; `nil` when `region` is not a region id.
    ///
    /// Huawei Cloud: `https://cce.<region>.myhuaweicloud.com`, with the SDK's exceptions
    /// (``CCEEndpoint/regional(_:)``). Open Telekom Cloud: `https://cce.<region>.otc.t-systems.com`;
    /// its Swiss region lives under `sc.otc.t-systems.com`.
    package func cceEndpoint(forRegion region: String) -> URL? {
        switch self {
        case .huaweicloud:
            return CCEEndpoint.regional(region)
        case .otc:
            guard Identifiers.isRegion(region) else { return nil }
            return URL(string: Self.otcExceptions[region]?.cce ?? "https://cce.\(region).otc.t-systems.com")
        }
    }

    /// The region's CCE API as the SDKs decide it: the first entry of the SDK's override
    /// `HUAWEICLOUD_SDK_REGION_CCE_<REGION>` in `environment` (it may hold a comma-separated
    /// list), else ``cceEndpoint(forRegion:)``; `nil` when `region` is not a region id.
    ///
    /// - Throws: a ``ConfigProblem`` without location when the variable is not an acceptable URL.
    package func cceEndpoint(forRegion region: String, environment: [String: String]) throws(ConfigProblem) -> URL? {
        guard let regional = cceEndpoint(forRegion: region) else { return nil }
        let variable = CCEEndpoint.environmentVariable(forRegion: region)
        let first = environment[variable]?.split(separator: ",").first?.trimmingWhitespace
        guard let first, !first.isEmpty else { return regional }
        switch ServiceURL.parse(String(first)) {
        case .success(let url):
            return url
        case .failure(let problem):
            throw ConfigProblem("environment variable \(variable) \(problem)", at: nil)
        }
    }

    /// The regional IAM endpoint, whose tokens work in that region only (all a region's clusters
    /// need), and which answers the project lookups; `nil` when `region` is not a region id.
    ///
    /// Huawei Cloud: `https://iam.<region>.myhuaweicloud.com` (`eu-west-101`: `.eu`). Open Telekom
    /// Cloud: `https://iam.<region>.otc.t-systems.com` (`eu-ch2`: `iam-pub.eu-ch2.sc.otc.t-systems.com`).
    package func iamEndpoint(forRegion region: String) -> URL? {
        guard Identifiers.isRegion(region) else { return nil }
        switch self {
        case .huaweicloud:
            return URL(string: Self.huaweiIAMExceptions[region] ?? "https://iam.\(region).myhuaweicloud.com")
        case .otc:
            return URL(string: Self.otcExceptions[region]?.iam ?? "https://iam.\(region).otc.t-systems.com")
        }
    }

    /// Huawei regions whose IAM host is not `iam.<region>.myhuaweicloud.com`, like CCE's exception.
    private static let huaweiIAMExceptions = ["eu-west-101": "https://iam.eu-west-101.myhuaweicloud.eu"]

    /// Open Telekom Cloud regions whose hosts do not follow `<service>.<region>.otc.t-systems.com`.
    private static let otcExceptions: [String: (cce: String, iam: String)] = [
        "eu-ch2": ("https://cce.eu-ch2.sc.otc.t-systems.com", "https://iam-pub.eu-ch2.sc.otc.t-systems.com")
    ]
}
