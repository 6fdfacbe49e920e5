import Fleet
import Synchronization
import Testing
import WatchList

/// The driver's two rounds of calls against an in-memory lister.
@Suite struct FleetDriverTests {
    typealias F = FleetFixtures

    /// Answers from fixed tables, and remembers each call, as the CCE client would be called.
    final class TableLister: FleetLister {
        struct Refused: Error, CustomStringConvertible {
            var description: String { "HTTP 500 from CCE" }
        }

        let projects: [ProjectQuery: [ProjectSummary]]
        let clusters: [ClusterListQuery: [ClusterSummary]]
        private let made = Mutex<[String]>([])
        var calls: [String] { made.withLock { $0 } }

        init(projects: [ProjectQuery: [ProjectSummary]], clusters: [ClusterListQuery: [ClusterSummary]]) {
            self.projects = projects
            self.clusters = clusters
        }

        func projects(_ query: ProjectQuery) async throws -> [ProjectSummary] {
            made.withLock { $0.append("projects \(query.name)") }
            guard let answer = projects[query] else { throw Refused() }
            return answer
        }

        func clusters(_ query: ClusterListQuery) async throws -> [ClusterSummary] {
            made.withLock { $0.append("clusters \(query.projectID)") }
            guard let answer = clusters[query] else { throw Refused() }
            return answer
        }
    }

    private let config = """
        credentials: {default: {type: sdk}}
        clusters:
          - {cluster: prod-a, region: cn-north-4}
        discover:
          - {regions: [ap-southeast-1]}
        """

    @Test func projectsThenClustersAreListedAndResolved() async throws {
        let lister = TableLister(
            projects: [
                F.projectQuery("cn-north-4"): [ProjectSummary(id: F.northProject, name: "cn-north-4")],
                F.projectQuery("ap-southeast-1", region: "ap-southeast-1"): [ProjectSummary(id: F.southProject, name: "ap-southeast-1")],
            ],
            clusters: [
                F.listQuery(): [F.cluster("prod-a", 1)],
                F.listQuery(F.southProject, region: "ap-southeast-1"): [
                    F.cluster("south", 2, region: "ap-southeast-1", project: F.southProject)
                ],
            ]
        )
        let resolution = await FleetDriver(lister: lister).resolve(try F.config(config), cache: .init())
        #expect(resolution.isComplete)
        #expect(resolution.clusters.map(\.name) == ["prod-a", "south"])
        #expect(
            lister.calls.sorted() == [
                "clusters \(F.northProject)", "clusters \(F.southProject)", "projects ap-southeast-1", "projects cn-north-4",
            ]
        )
    }

    @Test func aThrowingListerIsAFailureWithItsDescription() async throws {
        let lister = TableLister(
            projects: [F.projectQuery("cn-north-4"): [ProjectSummary(id: F.northProject, name: "cn-north-4")]],
            clusters: [:]
        )
        let resolution = await FleetDriver(lister: lister).resolve(try F.config(config), cache: .init())
        #expect(resolution.clusters.isEmpty)
        #expect(
            resolution.failures.map(\.description) == [
                "cannot list the clusters of project \(F.northProject) in region cn-north-4: HTTP 500 from CCE",
                "cannot list the projects named \"ap-southeast-1\" in region ap-southeast-1 (credentials default): HTTP 500 from CCE",
            ]
        )
    }

    @Test func aCachedNameIsNotListedAgain() async throws {
        let lister = TableLister(
            projects: [F.projectQuery("cn-north-4"): [ProjectSummary(id: F.northProject, name: "cn-north-4")]],
            clusters: [F.listQuery(): [F.cluster("prod-a", 1)]]
        )
        let config = try F.config("credentials: {default: {type: sdk}}\nclusters:\n  - {cluster: prod-a, region: cn-north-4}\n")
        let first = await FleetDriver(lister: lister).resolve(config, cache: .init())
        let second = await FleetDriver(lister: lister).resolve(config, cache: first.cache)
        #expect(second.clusters.map(\.clusterID) == [F.id(1)])
        #expect(lister.calls == ["projects cn-north-4", "clusters \(F.northProject)"])
    }
}
