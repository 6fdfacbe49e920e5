import WatchList
import YAML

/// The answers of one round, read for one entry at a time: ids found (and remembered in the
/// cache), names that match nothing or too much (problems), lists that did not answer (failures).
struct Lookup {
    /// What looking one name up came to.
    enum Found<Value> {
        case found(Value)
        /// The lookup answered, and the name is wrong: reported as a problem.
        case unknown
        /// The lookup did not answer: reported as a failure.
        case unanswered
    }

    /// What resolving one `clusters:` entry came to.
    enum Outcome {
        case resolved(WatchedCluster)
        case unknown
        case unanswered
    }

    let config: WatchListConfig
    var cache: ResolutionCache
    let answers: FleetAnswers
    private(set) var problems: [ConfigProblem] = []
    private(set) var failures: [FleetResolution.Failure] = []

    init(config: WatchListConfig, cache: ResolutionCache, answers: FleetAnswers) {
        self.config = config
        self.cache = cache
        self.answers = answers
    }

    mutating func resolve(_ spec: ClusterSpec) -> Outcome {
        let projectID: String
        switch project(of: spec) {
        case .found(let id): projectID = id
        case .unknown: return .unknown
        case .unanswered: return .unanswered
        }
        switch spec.cluster {
        case .id(let clusterID):
            return .resolved(spec.resolved(projectID: projectID, clusterID: clusterID))
        case .name(let name):
            if let clusterID = cache.clusterID(named: name, projectID: projectID, type: spec.options.type) {
                return .resolved(spec.resolved(projectID: projectID, clusterID: clusterID))
            }
            let query = FleetResolver.listQuery(spec, projectID: projectID)
            guard let summaries = clusters(query) else { return .unanswered }
            let kind = spec.options.type == .autopilot ? "Autopilot cluster" : "cluster"
            let matches = summaries.filter { $0.name == name }
            let place = "project \(projectName(of: spec) ?? projectID) (region \(query.region))"
            guard matches.count == 1, let match = matches.first else {
                if matches.isEmpty {
                    let others = summaries.map(\.name).sorted()
                    let has = others.isEmpty ? "it has none" : "it has \(others.joined(separator: ", "))"
                    report("cluster \"\(spec.watchName)\": no \(kind) is named \"\(name)\" in \(place); \(has)", at: spec.location)
                } else {
                    let ids = matches.map(\.id).joined(separator: ", ")
                    report(
                        "cluster \"\(spec.watchName)\": \(matches.count) \(kind)s are named \"\(name)\" in \(place) (\(ids)); give \"cluster_id\" instead",
                        at: spec.location
                    )
                }
                return .unknown
            }
            return .resolved(spec.resolved(projectID: projectID, clusterID: match.id))
        }
    }

    /// The id of an entry's project: given, remembered, or looked up by name.
    mutating func project(of spec: ClusterSpec) -> Found<String> {
        switch spec.project {
        case .id(let id):
            return .found(id)
        case .name(let name):
            guard let region = spec.region else { return .unknown }
            let query = ProjectQuery(credentials: spec.options.credentials, cloud: spec.options.cloud, region: region, name: name)
            return project(query, for: "cluster \"\(spec.watchName)\"", at: spec.location)
        }
    }

    /// The id of the project the entry is in, for `clusterQueries`: `nil` when not known.
    mutating func projectID(of spec: ClusterSpec) -> String? {
        if case .found(let id) = project(of: spec) { return id }
        return nil
    }

    /// The id of a project a discovery rule scans; `nil` when not known.
    mutating func projectID(_ query: ProjectQuery, at location: SourceLocation?) -> String? {
        if case .found(let id) = project(query, for: "this discover item", at: location) { return id }
        return nil
    }

    private mutating func project(_ query: ProjectQuery, for noun: String, at location: SourceLocation?) -> Found<String> {
        if let id = cache.projectID(for: query) { return .found(id) }
        switch answers.projects[query] {
        case nil:
            return .unanswered
        case .failure(let message)?:
            fail("the projects named \"\(query.name)\" in region \(query.region) (credentials \(query.credentials))", message)
            return .unanswered
        case .success(let projects)?:
            let matches = projects.filter { $0.name == query.name }
            guard matches.count == 1, let project = matches.first else {
                if matches.isEmpty, query.name == query.region {
                    report(
                        "\(noun): region \"\(query.region)\" is unknown: IAM has no project named like it for credentials \(query.credentials)",
                        at: location
                    )
                } else if matches.isEmpty {
                    report(
                        "\(noun): IAM has no project named \"\(query.name)\" in region \(query.region) for credentials \(query.credentials)",
                        at: location
                    )
                } else {
                    report("\(noun): IAM has \(matches.count) projects named \"\(query.name)\"; give \"project_id\" instead", at: location)
                }
                return .unknown
            }
            cache.remember(query, id: project.id)
            return .found(project.id)
        }
    }

    /// One list's clusters, every name remembered; `nil` (a failure) when it did not answer.
    mutating func clusters(_ query: ClusterListQuery) -> [ClusterSummary]? {
        let listing =
            "the \(query.type == .autopilot ? "Autopilot clusters" : "clusters") of project \(query.projectID) in region \(query.region)"
        switch answers.clusters[query] {
        case nil:
            return nil
        case .failure(let message)?:
            fail(listing, message)
            return nil
        case .success(let summaries)?:
            let counts = Dictionary(summaries.map { ($0.name, 1) }, uniquingKeysWith: +)
            for summary in summaries where counts[summary.name] == 1 {
                cache.remember(name: summary.name, id: summary.id, projectID: query.projectID, type: query.type)
            }
            return summaries
        }
    }

    private func projectName(of spec: ClusterSpec) -> String? {
        if case .name(let name) = spec.project { return name }
        return nil
    }

    private mutating func report(_ message: String, at location: SourceLocation?) {
        let problem = ConfigProblem(message, at: location)
        if !problems.contains(problem) { problems.append(problem) }
    }

    private mutating func fail(_ listing: String, _ message: String) {
        let failure = FleetResolution.Failure(listing: listing, message: message)
        if !failures.contains(failure) { failures.append(failure) }
    }
}
