#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Which cloud's hosts a CCE API lives on: Huawei Cloud's, or Open Telekom Cloud's (the same API
/// on `cce.<region>.otc.t-systems.com`, with IAM on `iam.<region>.otc.t-systems.com`).
package enum Cloud: String, Sendable, Hashable, CaseIterable {
    case huaweicloud
    case otc
}

/// One cluster as CCE's ListClusters reports it: what resolving a console name and discovery need.
///
/// Decoded by the CCE client from `GET /api/v3/projects/{project_id}/clusters` (and the Autopilot
/// path), in either cloud's shape; matched against the watch list by pure code.
package struct ClusterSummary: Sendable, Hashable {
    /// CCE's product line for the cluster (`spec.category`), or Autopilot (its own API path).
    package enum Category: String, Sendable, Hashable, CaseIterable {
        case cce = "CCE"
        case turbo = "Turbo"
        case autopilot = "Autopilot"
    }

    /// `metadata.uid`.
    package var id: String
    /// `metadata.name`: the console name.
    package var name: String
    package var category: Category
    /// `status.phase`, e.g. `Available`, `Hibernation`, `Creating`, `Deleting`, as CCE spells it.
    package var phase: String
    /// `metadata.labels`.
    package var labels: [String: String]
    /// The region and project the list was made in.
    package var region: String
    package var projectID: String

    package init(
        id: String,
        name: String,
        category: Category,
        phase: String,
        labels: [String: String] = [:],
        region: String,
        projectID: String
    ) {
        self.id = id
        self.name = name
        self.category = category
        self.phase = phase
        self.labels = labels
        self.region = region
        self.projectID = projectID
    }
}

/// One IAM project as `GET /v3/projects` or `GET /v3/auth/projects` reports it: a region's main
/// project is named like the region (`cn-north-4`), a sub-project `cn-north-4_dev`.
package struct ProjectSummary: Sendable, Hashable {
    package var id: String
    package var name: String

    package init(id: String, name: String) {
        self.id = id
        self.name = name
    }
}
