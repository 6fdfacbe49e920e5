#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension CCEEndpoint {
    /// A region's CCE API on `cloud`'s hosts: Huawei Cloud's as ``regional(_:)`` says, Open
    /// Telekom Cloud's `https://cce.<region>.otc.t-systems.com`; `nil` when `region` is not a region id.
    public static func regional(_ region: String, cloud: Cloud) -> URL? {
        switch cloud {
        case .huaweicloud:
            return regional(region)
        case .otc:
            guard Identifiers.isRegion(region) else { return nil }
            return URL(string: "https://cce.\(region).otc.t-systems.com")
        }
    }

    /// The base URL of a cluster's CCE API.
    ///
    /// The cluster's own `endpoint` wins, being the most specific; then the SDK variable for
    /// the region (its first entry when it holds a comma-separated list, as the SDK allows);
    /// then the region's endpoint on the cluster's cloud.
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

extension ClusterSpec {
    /// The base URL of this cluster's CCE API, where its name is looked up.
    public func cceEndpoint(environment: [String: String] = [:]) throws(ConfigProblem) -> URL {
        try CCEEndpoint.resolve(name: watchName, endpoint: options.endpoint, region: region, cloud: options.cloud, environment: environment)
    }
}
