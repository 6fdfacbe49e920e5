import NIOHTTP1

/// A method and path that name CCE's ListClusters: `GET /api/v3/projects/{project_id}/clusters`,
/// or the Autopilot family's `GET /autopilot/v3/projects/{project_id}/clusters`.
struct ListClustersRoute: Sendable, Hashable {
    var projectID: String
    /// Which family's clusters are listed; each path lists its own only.
    var clusterType: SimulatedCluster.ClusterType

    /// `nil` for any other method and path.
    init?(method: HTTPMethod, path: Substring) {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        guard method == .GET, segments.count == 6, segments[0].isEmpty, segments[2] == "v3", segments[3] == "projects",
            !segments[4].isEmpty, segments[5] == "clusters"
        else { return nil }
        switch segments[1] {
        case "api": clusterType = .cce
        case "autopilot": clusterType = .autopilot
        default: return nil
        }
        projectID = String(segments[4])
    }
}
