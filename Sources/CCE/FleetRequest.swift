import WatchList

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The read calls that describe a fleet: CCE's ListClusters and IAM's project lists. All are
/// `GET`s without a body, authenticated like the certificate call.
enum FleetRequest {
    /// `GET /api/v3/projects/{project_id}/clusters`, or `/autopilot/v3/...` for Autopilot. A signed
    /// request's `X-Project-Id` is the project in the path.
    static func listClusters(
        projectID: String,
        type: WatchedCluster.ClusterType,
        endpoint: URL,
        authentication: RequestAuthentication,
        date: Date
    ) throws(ServiceFailure) -> PreparedRequest {
        let prefix = type == .autopilot ? "/autopilot/v3" : "/api/v3"
        let path = "\(prefix)/projects/\(ServiceEndpoint.segment(projectID))/clusters"
        return try get(path, at: endpoint, authentication: authentication, projectID: projectID, date: date)
    }

    /// IAM's `GET /v3/projects?name=<name>` (every project without a name), as the SDKs call it
    /// AK/SK signed to find a region's project: without `X-Project-Id`, which is not known yet.
    static func projects(named name: String?, endpoint: URL, authentication: RequestAuthentication, date: Date) throws(ServiceFailure)
        -> PreparedRequest
    {
        let query = name.map { "?name=\(ServiceEndpoint.segment($0))" } ?? ""
        return try get("/v3/projects" + query, at: endpoint, authentication: authentication, projectID: nil, date: date)
    }

    /// IAM's `GET /v3/auth/projects`: the projects the token's user may use, no permission needed.
    static func authProjects(endpoint: URL, authentication: RequestAuthentication, date: Date) throws(ServiceFailure) -> PreparedRequest {
        try get("/v3/auth/projects", at: endpoint, authentication: authentication, projectID: nil, date: date)
    }

    /// A `GET` with the headers the SDK sends (and signs): `Content-Type: application/json` even
    /// without a body, and the user agent.
    private static func get(
        _ pathAndQuery: String,
        at endpoint: URL,
        authentication: RequestAuthentication,
        projectID: String?,
        date: Date
    ) throws(ServiceFailure) -> PreparedRequest {
        let url = try ServiceEndpoint.url(ServiceEndpoint.checked(endpoint), appending: pathAndQuery)
        return try authentication.prepare(.GET, url, endpoint: endpoint, projectID: projectID, date: date)
    }
}
