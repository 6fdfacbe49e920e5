import YAML

/// One item of `clusters:` as the config gives it, before any lookup: the cluster and its
/// project each by id or by name.
///
/// An item with both ids is already a ``WatchedCluster`` (``resolved``); the others are turned
/// into one by looking their names up (IAM projects, CCE ListClusters), which is not this
/// module's job.
package struct ClusterSpec: Sendable, Hashable {
    /// `cluster_id: <uuid>` or `cluster: <console name>`.
    package enum Cluster: Sendable, Hashable {
        case id(String)
        case name(String)
    }

    /// `project_id: <32 hex>`, or `project: <name>`; without either, the project named like
    /// the region (`cn-north-4`), as Huawei's SDKs choose it.
    package enum Project: Sendable, Hashable {
        case id(String)
        case name(String)
    }

    /// The watch name: `name:`, else the `context_name` template over the console name.
    package var watchName: String
    package var cluster: Cluster
    package var project: Project
    /// The region; absent only when `endpoint` is set and the project is given by id.
    package var region: String?
    package var options: ClusterOptions
    /// Where the item starts in the config, for problems found while resolving it.
    package var location: SourceLocation?

    package init(watchName: String, cluster: Cluster, project: Project, region: String?, options: ClusterOptions, location: SourceLocation?)
    {
        self.watchName = watchName
        self.cluster = cluster
        self.project = project
        self.region = region
        self.options = options
        self.location = location
    }

    /// The console name, when the item gives the cluster by name.
    package var consoleName: String? {
        if case .name(let name) = cluster { return name }
        return nil
    }

    /// The cluster to watch when the item gives both ids; `nil` when a name must be looked up.
    package var resolved: WatchedCluster? {
        guard case .id(let clusterID) = cluster, case .id(let projectID) = project else { return nil }
        return resolved(projectID: projectID, clusterID: clusterID)
    }

    /// The cluster to watch once its ids are known.
    package func resolved(projectID: String, clusterID: String) -> WatchedCluster {
        WatchedCluster(
            name: watchName,
            projectID: projectID,
            clusterID: clusterID,
            region: region,
            consoleName: consoleName,
            options: options
        )
    }
}
