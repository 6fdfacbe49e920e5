import Kubeconfig
import WatchList
import YAML

/// Turns a watch list and the answers of its lookups into the clusters to watch. Pure: the
/// lookups are made by ``FleetDriver`` (or a test) in two rounds, projects first, since a
/// cluster list needs the project's id.
package enum FleetResolver {
    /// The project lookups the config needs that `cache` cannot answer.
    package static func projectQueries(_ config: WatchListConfig, cache: ResolutionCache) -> [ProjectQuery] {
        unique(allProjectQueries(config).filter { cache.projectID(for: $0) == nil })
    }

    /// The cluster lists the config needs, given the project answers: every project a
    /// discovery rule scans, and each project holding a cluster named but not in `cache`.
    package static func clusterQueries(
        _ config: WatchListConfig,
        cache: ResolutionCache,
        projects: [ProjectQuery: ListAnswer<[ProjectSummary]>]
    ) -> [ClusterListQuery] {
        var lookup = Lookup(config: config, cache: cache, answers: FleetAnswers(projects: projects))
        var queries: [ClusterListQuery] = []
        for spec in config.unresolved {
            guard case .name(let name) = spec.cluster, let projectID = lookup.projectID(of: spec),
                lookup.cache.clusterID(named: name, projectID: projectID, type: spec.options.type) == nil
            else { continue }
            queries.append(listQuery(spec, projectID: projectID))
        }
        for rule in config.discovery {
            for (region, project) in scans(rule) {
                guard
                    let projectID = lookup.projectID(
                        ProjectQuery(credentials: rule.options.credentials, cloud: rule.options.cloud, region: region, name: project),
                        at: rule.location
                    )
                else { continue }
                queries += listQueries(rule, region: region, projectID: projectID)
            }
        }
        return unique(queries)
    }

    /// The fleet, from the config, the cache and the answers of both rounds.
    package static func resolve(_ config: WatchListConfig, cache: ResolutionCache, answers: FleetAnswers) -> FleetResolution {
        var lookup = Lookup(config: config, cache: cache, answers: answers)
        var fleet = Fleet()
        for cluster in config.clusters {
            fleet.addListed(cluster, project: nil, at: nil)
        }
        for spec in config.unresolved {
            switch lookup.resolve(spec) {
            case .resolved(let cluster):
                let project: String? = if case .name(let name) = spec.project { name } else { nil }
                fleet.addListed(cluster, project: project, at: spec.location)
            case .unknown: fleet.holdListed(spec.watchName, .problem, at: spec.location)
            case .unanswered: fleet.holdListed(spec.watchName, .lookupFailed, at: spec.location)
            }
        }
        for rule in config.discovery {
            for (region, project) in scans(rule) {
                let query = ProjectQuery(credentials: rule.options.credentials, cloud: rule.options.cloud, region: region, name: project)
                guard let projectID = lookup.projectID(query, at: rule.location) else {
                    fleet.pruneNothing = true
                    continue
                }
                for list in listQueries(rule, region: region, projectID: projectID) {
                    guard let summaries = lookup.clusters(list) else {
                        fleet.keptProjects.insert(projectID)
                        continue
                    }
                    for summary in summaries where (summary.category == .autopilot) == (list.type == .autopilot) {
                        fleet.discover(summary, by: rule, project: project)
                    }
                }
            }
        }
        return fleet.resolution(problems: lookup.problems, failures: lookup.failures, cache: lookup.cache)
    }

    // MARK: Queries

    private static func allProjectQueries(_ config: WatchListConfig) -> [ProjectQuery] {
        var queries: [ProjectQuery] = []
        for spec in config.unresolved {
            if case .name(let name) = spec.project, let region = spec.region {
                queries.append(ProjectQuery(credentials: spec.options.credentials, cloud: spec.options.cloud, region: region, name: name))
            }
        }
        for rule in config.discovery {
            for (region, project) in scans(rule) {
                queries.append(
                    ProjectQuery(credentials: rule.options.credentials, cloud: rule.options.cloud, region: region, name: project)
                )
            }
        }
        return queries
    }

    /// Each region of a rule with each of its projects.
    static func scans(_ rule: DiscoveryRule) -> [(region: String, project: String)] {
        rule.regions.flatMap { region in rule.projectNames(in: region).map { (region, $0) } }
    }

    static func listQuery(_ spec: ClusterSpec, projectID: String) -> ClusterListQuery {
        ClusterListQuery(
            credentials: spec.options.credentials,
            cloud: spec.options.cloud,
            region: spec.region ?? "",
            projectID: projectID,
            type: spec.options.type,
            endpoint: spec.options.endpoint,
            caFile: spec.options.caFile
        )
    }

    /// The lists a rule reads in one project: ListClusters for CCE and Turbo, the Autopilot API for Autopilot.
    static func listQueries(_ rule: DiscoveryRule, region: String, projectID: String) -> [ClusterListQuery] {
        var types: [WatchedCluster.ClusterType] = []
        if !rule.categories.isDisjoint(with: [.cce, .turbo]) { types.append(.cce) }
        if rule.categories.contains(.autopilot) { types.append(.autopilot) }
        return types.map { type in
            ClusterListQuery(
                credentials: rule.options.credentials,
                cloud: rule.options.cloud,
                region: region,
                projectID: projectID,
                type: type,
                endpoint: rule.options.endpoint,
                caFile: rule.options.caFile
            )
        }
    }

    private static func unique<Query: Hashable>(_ queries: [Query]) -> [Query] {
        var seen: Set<Query> = []
        return queries.filter { seen.insert($0).inserted }
    }
}
