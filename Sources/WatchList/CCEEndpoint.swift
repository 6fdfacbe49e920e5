#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Where a region's CCE API lives, as Huawei's SDKs decide it.
public enum CCEEndpoint {
    /// Regions whose CCE host is not `cce.<region>.myhuaweicloud.com` (the SDK's region table).
    private static let exceptions = ["eu-west-101": "https://cce.eu-west-101.myhuaweicloud.eu"]

    /// `https://cce.<region>.myhuaweicloud.com`, or the SDK's exception for the region; on Open
    /// Telekom Cloud `https://cce.<region>.otc.t-systems.com`. `nil` when `region` is not a region id.
    public static func regional(_ region: String, cloud: Cloud = .huaweicloud) -> URL? {
        guard Identifiers.isRegion(region) else { return nil }
        switch cloud {
        case .huaweicloud: return URL(string: exceptions[region] ?? "https://cce.\(region).myhuaweicloud.com")
        case .otc: return URL(string: "https://cce.\(region).otc.t-systems.com")
        }
    }

    /// The SDK variable that overrides a region's endpoint: `HUAWEICLOUD_SDK_REGION_CCE_CN_NORTH_4`.
    public static func environmentVariable(forRegion region: String) -> String {
        "HUAWEICLOUD_SDK_REGION_CCE_" + String(region.uppercased().map { $0 == "-" ? "_" : $0 })
    }
}

extension CCEEndpoint {
    /// The base URL of a cluster's CCE API.
    ///
    /// The cluster's own `endpoint` wins, being the most specific; then the SDK variable for
    /// the region (its first entry when it holds a comma-separated list, as the SDK allows);
    /// then the region's endpoint.
    ///
    /// - Throws: a ``ConfigProblem`` without location when the variable is not an acceptable
    ///   URL, or when the cluster has neither an endpoint nor a valid region.
    public static func resolve(
        name: String,
        endpoint: URL?,
        region: String?,
        cloud: Cloud,
        environment: [String: String]
    ) throws(ConfigProblem) -> URL {
        if let endpoint { return endpoint }
        guard let region, let regional = regional(region, cloud: cloud) else {
            throw ConfigProblem("cluster \"\(name)\" has no endpoint and no valid region", at: nil)
        }
        let variable = environmentVariable(forRegion: region)
        let first = environment[variable]?.split(separator: ",").first?.trimmingWhitespace
        guard let first, !first.isEmpty else { return regional }
        switch ServiceURL.parse(String(first)) {
        case .success(let url):
            return url
        case .failure(let problem):
            throw ConfigProblem("environment variable \(variable) \(problem)", at: nil)
        }
    }
}

extension WatchedCluster {
    /// The base URL of this cluster's CCE API: see ``CCEEndpoint/resolve(name:endpoint:region:cloud:environment:)``.
    public func cceEndpoint(environment: [String: String] = [:]) throws(ConfigProblem) -> URL {
        try CCEEndpoint.resolve(name: name, endpoint: endpoint, region: region, cloud: cloud, environment: environment)
    }
}

extension ClusterSpec {
    /// The base URL of this cluster's CCE API, where its names are looked up.
    public func cceEndpoint(environment: [String: String] = [:]) throws(ConfigProblem) -> URL {
        try CCEEndpoint.resolve(name: watchName, endpoint: options.endpoint, region: region, cloud: options.cloud, environment: environment)
    }
}
