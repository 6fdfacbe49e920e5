import Fleet
import WatchList
import YAML

/// Configs and list answers for the resolution tests.
enum FleetFixtures {
    static let path = "/home/alice/.config/cce-kubeconfigd/config.yaml"
    static let northProject = "0123456789abcdef0123456789abcdef"
    static let southProject = "fedcba9876543210fedcba9876543210"
    static let devProject = "00000000000000000000000000000dev"

    static func config(_ text: String) throws -> WatchListConfig {
        try WatchListConfig.parse(Array(text.utf8), path: path, fileMode: 0o600, homeDirectory: "/home/alice")
    }

    /// A cluster id made from a small number, so that tests can tell clusters apart at a glance.
    static func id(_ number: Int) -> String {
        let digits = String(number)
        return "00000000-0000-0000-0000-" + String(repeating: "0", count: 12 - digits.count) + digits
    }

    static func cluster(
        _ name: String,
        _ number: Int,
        region: String = "cn-north-4",
        project: String = northProject,
        category: ClusterSummary.Category = .cce,
        phase: String = "Available",
        labels: [String: String] = [:]
    ) -> ClusterSummary {
        ClusterSummary(id: id(number), name: name, category: category, phase: phase, labels: labels, region: region, projectID: project)
    }

    static func projectQuery(_ name: String, region: String = "cn-north-4", credentials: String = "default") -> ProjectQuery {
        ProjectQuery(credentials: credentials, cloud: .huaweicloud, region: region, name: name)
    }

    static func listQuery(_ projectID: String = northProject, region: String = "cn-north-4", type: WatchedCluster.ClusterType = .cce)
        -> ClusterListQuery
    {
        ClusterListQuery(credentials: "default", cloud: .huaweicloud, region: region, projectID: projectID, type: type)
    }

    /// IAM's answer for the two regions' own projects and one sub-project.
    static let projects: [ProjectQuery: ListAnswer<[ProjectSummary]>] = [
        projectQuery("cn-north-4"): .success([ProjectSummary(id: northProject, name: "cn-north-4")]),
        projectQuery("ap-southeast-1", region: "ap-southeast-1"): .success([ProjectSummary(id: southProject, name: "ap-southeast-1")]),
        projectQuery("cn-north-4_dev"): .success([ProjectSummary(id: devProject, name: "cn-north-4_dev")]),
    ]

    /// Resolves with the answers given, in the two rounds a driver makes.
    static func resolve(
        _ config: WatchListConfig,
        cache: ResolutionCache = .init(),
        clusters: [ClusterListQuery: ListAnswer<[ClusterSummary]>],
        projects: [ProjectQuery: ListAnswer<[ProjectSummary]>] = projects
    ) -> FleetResolution {
        FleetResolver.resolve(config, cache: cache, answers: FleetAnswers(projects: projects, clusters: clusters))
    }
}

extension SourceLocation {
    static func at(_ line: Int, _ column: Int) -> SourceLocation {
        SourceLocation(line: line, column: column)
    }
}
