import WatchList

/// What earlier lookups found: project ids by name, cluster ids by console name. Kept in the
/// daemon's state file so that a restart fetches without listing; an entry is dropped when a
/// fetch with it answers 404 (the cluster was deleted, or re-created under the same name).
package struct ResolutionCache: Sendable, Hashable, Codable {
    /// One project found by name.
    package struct Project: Sendable, Hashable, Codable {
        package var credentials: String
        package var cloud: String
        package var region: String
        package var name: String
        package var id: String

        package init(credentials: String, cloud: String, region: String, name: String, id: String) {
            self.credentials = credentials
            self.cloud = cloud
            self.region = region
            self.name = name
            self.id = id
        }
    }

    /// One cluster found by console name.
    package struct Cluster: Sendable, Hashable, Codable {
        package var projectID: String
        /// `cce` or `autopilot`: the API the name was listed in.
        package var type: String
        package var name: String
        package var id: String

        package init(projectID: String, type: String, name: String, id: String) {
            self.projectID = projectID
            self.type = type
            self.name = name
            self.id = id
        }
    }

    /// Sorted, so that the state file does not change when nothing did.
    package private(set) var projects: [Project]
    package private(set) var clusters: [Cluster]

    package init(projects: [Project] = [], clusters: [Cluster] = []) {
        self.projects = []
        self.clusters = []
        for project in projects { remember(project) }
        for cluster in clusters { remember(cluster) }
    }

    /// Nothing found yet: the state file then leaves the key out.
    package var isEmpty: Bool {
        projects.isEmpty && clusters.isEmpty
    }

    package func projectID(for query: ProjectQuery) -> String? {
        projects.first { $0.matches(query) }?.id
    }

    package func clusterID(named name: String, projectID: String, type: WatchedCluster.ClusterType) -> String? {
        clusters.first { $0.projectID == projectID && $0.type == type.rawValue && $0.name == name }?.id
    }

    mutating func remember(_ query: ProjectQuery, id: String) {
        remember(Project(credentials: query.credentials, cloud: query.cloud.rawValue, region: query.region, name: query.name, id: id))
    }

    mutating func remember(name: String, id: String, projectID: String, type: WatchedCluster.ClusterType) {
        remember(Cluster(projectID: projectID, type: type.rawValue, name: name, id: id))
    }

    /// Drops what led to `clusterID`, and the project it was in: the next resolution looks both up again.
    package mutating func forget(clusterID: String) {
        let projectIDs = Set(clusters.filter { $0.id == clusterID }.map(\.projectID))
        clusters.removeAll { $0.id == clusterID }
        projects.removeAll { projectIDs.contains($0.id) }
    }

    /// What a listing that started from `start` and found `self` leaves as the cache, when
    /// `current` is the cache now: lookups run concurrently (a reload and a scheduled listing)
    /// and a 404 may forget an id while a listing runs, so what other listings found meanwhile
    /// is kept and what was forgotten meanwhile stays forgotten (else the stale id would return).
    package func merged(since start: ResolutionCache, into current: ResolutionCache) -> ResolutionCache {
        var merged = self
        for project in current.projects where !start.projects.contains(project) { merged.remember(project) }
        for cluster in current.clusters where !start.clusters.contains(cluster) { merged.remember(cluster) }
        for cluster in start.clusters where !current.clusters.contains(cluster) { merged.forget(clusterID: cluster.id) }
        return merged
    }

    private mutating func remember(_ project: Project) {
        projects.removeAll {
            $0.credentials == project.credentials && $0.cloud == project.cloud && $0.region == project.region && $0.name == project.name
        }
        projects.append(project)
        projects.sort { ($0.credentials, $0.cloud, $0.region, $0.name) < ($1.credentials, $1.cloud, $1.region, $1.name) }
    }

    private mutating func remember(_ cluster: Cluster) {
        clusters.removeAll { $0.projectID == cluster.projectID && $0.type == cluster.type && $0.name == cluster.name }
        clusters.append(cluster)
        clusters.sort { ($0.projectID, $0.type, $0.name) < ($1.projectID, $1.type, $1.name) }
    }
}

extension ResolutionCache.Project {
    func matches(_ query: ProjectQuery) -> Bool {
        credentials == query.credentials && cloud == query.cloud.rawValue && region == query.region && name == query.name
    }
}
