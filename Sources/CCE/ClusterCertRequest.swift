import NIOHTTP1
import WatchList

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The cluster-certificate call (`POST` or `GET .../clusters/{id}/clustercert`): which method and path a watched cluster needs,
/// and the headers that authenticate it.
enum ClusterCertRequest {
    /// `/api/v3/projects/{p}/clusters/{c}/clustercert`, or `/autopilot/v3/...` for Autopilot clusters.
    static func path(for cluster: WatchedCluster) -> String {
        let prefix = cluster.type == .autopilot ? "/autopilot/v3" : "/api/v3"
        let project = ServiceEndpoint.segment(cluster.projectID)
        return "\(prefix)/projects/\(project)/clusters/\(ServiceEndpoint.segment(cluster.clusterID))/clustercert"
    }

    /// The request for `cluster` at `endpoint`, authenticated as of `date`.
    ///
    /// `api: post` sends `{"duration":D}`; the deprecated `api: get` has no body. Both carry
    /// `Content-Type: application/json`, as the SDK sends it (and signs it) even on GET. A signed
    /// request's `X-Project-Id` is the cluster's project, the one in the path.
    static func make(
        for cluster: WatchedCluster,
        endpoint: URL,
        authentication: RequestAuthentication,
        date: Date
    ) throws(ServiceFailure) -> PreparedRequest {
        let url = try ServiceEndpoint.url(ServiceEndpoint.checked(endpoint), appending: path(for: cluster))
        let method: HTTPMethod = cluster.api == .get ? .GET : .POST
        let body = cluster.api == .get ? [] : Array("{\"duration\":\(cluster.durationDays)}".utf8)
        return try authentication.prepare(method, url, endpoint: endpoint, body: body, projectID: cluster.projectID, date: date)
    }
}
