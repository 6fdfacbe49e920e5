import NIOHTTP1

/// A method and path that name a cluster-certificate API (`docs/simulator.md` lists them).
struct ClusterCertRoute: Sendable, Hashable {
    enum Operation: Sendable, Hashable {
        /// `POST /api/v3/projects/{project_id}/clusters/{cluster_id}/clustercert`.
        case create
        /// The deprecated `GET` of the same path: no body, the longest validity.
        case deprecatedGet
        /// `POST /autopilot/v3/projects/{project_id}/clusters/{cluster_id}/clustercert`.
        case autopilotCreate
    }

    var operation: Operation
    var projectID: String
    var clusterID: String

    /// `nil` for any other method and path: the gateway has no such API.
    init?(method: HTTPMethod, path: Substring) {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        guard segments.count == 8, segments[0].isEmpty, segments[2] == "v3", segments[3] == "projects",
            segments[5] == "clusters", segments[7] == "clustercert", !segments[4].isEmpty, !segments[6].isEmpty
        else { return nil }
        switch (segments[1], method) {
        case ("api", .POST): operation = .create
        case ("api", .GET): operation = .deprecatedGet
        case ("autopilot", .POST): operation = .autopilotCreate
        default: return nil
        }
        projectID = String(segments[4])
        clusterID = String(segments[6])
    }

    /// The kind of cluster this API serves.
    var clusterType: SimulatedCluster.ClusterType {
        operation == .autopilotCreate ? .autopilot : .cce
    }
}
