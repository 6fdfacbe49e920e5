#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Where a region's CCE API lives, as Huawei's SDKs decide it.
package enum CCEEndpoint {
    /// Regions whose CCE host is not `cce.<region>.myhuaweicloud.com` (the SDK's region table).
    private static let exceptions = ["eu-west-101": "https://cce.eu-west-101.myhuaweicloud.eu"]

    /// `https://cce.<region>.myhuaweicloud.com`, or the SDK's exception for the region;
    /// `nil` when `region` is not a region id.
    package static func regional(_ region: String) -> URL? {
        guard Identifiers.isRegion(region) else { return nil }
        return URL(string: exceptions[region] ?? "https://cce.\(region).myhuaweicloud.com")
    }

    /// The SDK variable that overrides a region's endpoint: `HUAWEICLOUD_SDK_REGION_CCE_CN_NORTH_4`.
    package static func environmentVariable(forRegion region: String) -> String {
        "HUAWEICLOUD_SDK_REGION_CCE_" + String(region.uppercased().map { $0 == "-" ? "_" : $0 })
    }
}

extension WatchedCluster {
    /// The base URL of this cluster's CCE API: see ``CCEEndpoint/resolve(name:endpoint:region:cloud:environment:)``.
    package func cceEndpoint(environment: [String: String] = [:]) throws(ConfigProblem) -> URL {
        try CCEEndpoint.resolve(name: name, endpoint: options.endpoint, region: region, cloud: options.cloud, environment: environment)
    }
}
