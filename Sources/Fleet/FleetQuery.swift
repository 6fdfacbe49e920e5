import WatchList

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One IAM project lookup: the projects named `name` in `region`, seen with one credential set.
/// AK/SK sets ask `GET /v3/projects?name=<name>`; token and password sets `GET /v3/auth/projects`.
package struct ProjectQuery: Sendable, Hashable {
    /// The credential set's name in the watch list: projects belong to the account it signs for.
    package var credentials: String
    package var cloud: Cloud
    package var region: String
    /// The project's name: the region's own (`cn-north-4`) or a sub-project's (`cn-north-4_dev`).
    package var name: String

    package init(credentials: String, cloud: Cloud, region: String, name: String) {
        self.credentials = credentials
        self.cloud = cloud
        self.region = region
        self.name = name
    }
}

/// One ListClusters call: every cluster of one product line in one project.
/// `type` `.cce` is `GET /api/v3/projects/{project_id}/clusters` (CCE and Turbo); `.autopilot`
/// the same under `/autopilot/v3`.
package struct ClusterListQuery: Sendable, Hashable {
    package var credentials: String
    package var cloud: Cloud
    package var region: String
    package var projectID: String
    package var type: WatchedCluster.ClusterType
    /// A CCE endpoint that replaces the region's, and a CA trusted for it, as a cluster entry gives them.
    package var endpoint: URL?
    package var caFile: String?

    package init(
        credentials: String,
        cloud: Cloud,
        region: String,
        projectID: String,
        type: WatchedCluster.ClusterType,
        endpoint: URL? = nil,
        caFile: String? = nil
    ) {
        self.credentials = credentials
        self.cloud = cloud
        self.region = region
        self.projectID = projectID
        self.type = type
        self.endpoint = endpoint
        self.caFile = caFile
    }
}

/// What one list call answered: the whole list, or why there is none.
///
/// A failure covers every way of not getting the whole list (an error status, a timeout, a
/// page missing): such an answer never prunes anything.
package enum ListAnswer<Value: Sendable & Hashable>: Sendable, Hashable {
    case success(Value)
    /// One sentence, already free of secrets (the client's error description).
    case failure(String)
}

/// The answers of one round of lookups, by the query each answers.
package struct FleetAnswers: Sendable, Hashable {
    package var projects: [ProjectQuery: ListAnswer<[ProjectSummary]>]
    package var clusters: [ClusterListQuery: ListAnswer<[ClusterSummary]>]

    package init(
        projects: [ProjectQuery: ListAnswer<[ProjectSummary]>] = [:],
        clusters: [ClusterListQuery: ListAnswer<[ClusterSummary]>] = [:]
    ) {
        self.projects = projects
        self.clusters = clusters
    }
}
