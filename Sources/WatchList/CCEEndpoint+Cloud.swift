#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension CCEEndpoint {
    /// The base URL of a cluster's CCE API.
    ///
    /// The cluster's own `endpoint` wins, being the most specific; then the SDK variable for
    /// the region (its first entry when it holds a comma-separated list, as the SDK allows);
    /// then the region's endpoint on the cluster's cloud.
    ///
    /// - Throws: a ``ConfigProblem`` without location when the variable is not an acceptable
    ///   URL, or when the cluster has neither an endpoint nor a valid region.
    package static func resolve(
        name: String,
        endpoint: URL?,
        region: String?,
        cloud: Cloud,
        environment: [String: String]
    ) throws(ConfigProblem) -> URL {
        if let endpoint { return endpoint }
        guard let region, let url = try cloud.cceEndpoint(forRegion: region, environment: environment) else {
            throw ConfigProblem("cluster \"\(name)\" has no endpoint and no valid region", at: nil)
        }
        return url
    }
}

extension ClusterSpec {
    /// The base URL of this cluster's CCE API, where its name is looked up.
    package func cceEndpoint(environment: [String: String] = [:]) throws(ConfigProblem) -> URL {
        try CCEEndpoint.resolve(name: watchName, endpoint: options.endpoint, region: region, cloud: options.cloud, environment: environment)
    }
}
