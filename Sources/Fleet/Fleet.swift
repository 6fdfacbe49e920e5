import Kubeconfig
import WatchList
import YAML

/// The clusters of one resolution as they are gathered: listed ones first, then each rule's
/// finds, and the checks between them (listed entries win, names must not collide).
struct Fleet {
    /// One cluster a rule found and would watch or hold.
    private struct Find {
        var cluster: WatchedCluster
        var summary: ClusterSummary
        var project: String
        var verdict: DiscoveryRule.Verdict
        var location: SourceLocation?
    }

    private var listed: [WatchedCluster] = []
    /// The project's name of each listed cluster, by watch name, where the config named it.
    private var listedProjects: [String: String] = [:]
    /// Where each listed watch name is written, when it came from an entry of `clusters:`.
    private var listedNames: [String: SourceLocation?] = [:]
    private var listedIDs: Set<String> = []
    private var finds: [Find] = []
    private var held: [FleetResolution.Held] = []
    private var problems: [ConfigProblem] = []
    var keptProjects: Set<String> = []
    var pruneNothing = false

    mutating func addListed(_ cluster: WatchedCluster, project: String?, at location: SourceLocation?) {
        listed.append(cluster)
        listedProjects[cluster.name] = project
        listedNames[cluster.name] = location
        listedIDs.insert(cluster.clusterID)
    }

    /// A `clusters:` entry that could not be resolved: its name stays taken, so that no
    /// discovered cluster is written over the entries it has.
    mutating func holdListed(_ watchName: String, _ reason: FleetResolution.Held.Reason, at location: SourceLocation?) {
        held.append(.init(watchName: watchName, reason: reason))
        listedNames[watchName] = location
    }

    /// One cluster of a list `rule` asked for in `project`.
    mutating func discover(_ summary: ClusterSummary, by rule: DiscoveryRule, project: String) {
        let verdict = rule.verdict(on: summary)
        guard verdict != .skip, !listedIDs.contains(summary.id), !finds.contains(where: { $0.summary.id == summary.id }) else { return }
        let name = rule.naming.render(name: summary.name, region: summary.region, project: project)
        guard WatchName.isValid(name) else {
            problems.append(
                ConfigProblem(
                    "context_name \"\(rule.naming)\" makes \"\(name)\" of cluster \"\(summary.name)\" in region \(summary.region), which is not a valid watch name "
                        + "(lowercase letters, digits, \"-\", \".\" and \"_\", starting and ending with a letter or digit)",
                    at: rule.location
                )
            )
            return
        }
        var options = rule.options
        options.type = summary.category == .autopilot ? .autopilot : .cce
        let cluster = WatchedCluster(
            name: name,
            projectID: summary.projectID,
            clusterID: summary.id,
            region: summary.region,
            consoleName: summary.name,
            options: options
        )
        finds.append(Find(cluster: cluster, summary: summary, project: project, verdict: verdict, location: rule.location))
    }

    func resolution(problems lookupProblems: [ConfigProblem], failures: [FleetResolution.Failure], cache: ResolutionCache)
        -> FleetResolution
    {
        var problems = lookupProblems + self.problems
        var held = self.held
        var watched = listed
        var rows = listed.map { cluster in
            FleetResolution.Row(
                cluster: cluster,
                project: listedProjects[cluster.name] ?? cluster.projectID,
                source: .listed,
                state: .watched
            )
        }
        var firstFind: [String: Find] = [:]
        var colliding: Set<String> = []
        for find in finds {
            let name = find.cluster.name
            if let location = listedNames[name] {
                let place = location.map { " (at \($0))" } ?? ""
                problems.append(
                    ConfigProblem(
                        "cluster \"\(find.summary.name)\" in region \(find.summary.region) (project \(find.project)) would be watched as \"\(name)\", "
                            + "the name of the cluster listed under clusters:\(place); exclude it here or change context_name",
                        at: find.location
                    )
                )
                continue
            }
            if let first = firstFind[name] {
                if colliding.insert(name).inserted {
                    problems.append(
                        ConfigProblem(
                            "two clusters would be watched as \"\(name)\": \"\(first.summary.name)\" in region \(first.summary.region) (project \(first.project)) "
                                + "and \"\(find.summary.name)\" in region \(find.summary.region) (project \(find.project)); "
                                + "a context_name such as \"{region}-{name}\" tells them apart",
                            at: find.location
                        )
                    )
                }
                continue
            }
            firstFind[name] = find
        }
        for find in finds where firstFind[find.cluster.name]?.summary.id == find.summary.id {
            let name = find.cluster.name
            let state: FleetResolution.Row.State
            if colliding.contains(name) {
                state = .held(.problem)
            } else if case .hold = find.verdict {
                state = .held(.phase(find.summary.phase))
            } else {
                state = .watched
                watched.append(find.cluster)
            }
            if case .held(let reason) = state { held.append(.init(watchName: name, reason: reason)) }
            rows.append(FleetResolution.Row(cluster: find.cluster, project: find.project, source: .discovered, state: state))
        }
        let kept = Set(watched.map(\.name)).union(held.map(\.watchName))
        return FleetResolution(
            clusters: watched,
            held: held,
            problems: problems,
            failures: failures,
            cache: cache,
            rows: rows,
            pruning: PrunePolicy(kept: kept, keptProjects: keptProjects, pruneNothing: pruneNothing || !problems.isEmpty)
        )
    }
}
