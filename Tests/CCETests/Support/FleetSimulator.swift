import CCESimulator
import Foundation
import WatchList

@testable import CCE

/// The CCE simulator with a small fleet, for the client's fleet calls: a region's project with
/// a CCE, a Turbo (hibernated) and an Autopilot cluster, a sub-project, and a second region.
enum FleetSimulator {
    static let region = "cn-north-4"
    static let project = TestData.projectID
    static let subProject = "00112233445566778899aabbccddeeff"
    static let otherProject = "fedcba9876543210fedcba9876543210"
    static let user = "alice"
    static let domain = "fleet-account"

    static let prod = "5a000000-0000-4000-8000-000000000001"
    static let batch = "5a000000-0000-4000-8000-000000000002"
    static let pilot = "5a000000-0000-4000-8000-000000000003"
    static let dev = "5a000000-0000-4000-8000-000000000004"

    static func configuration(cloud: SimulatorConfiguration.Cloud) -> SimulatorConfiguration {
        SimulatorConfiguration(
            accessKeys: [TestData.accessKey: TestData.secretKey],
            users: [IAMUser(domain: domain, name: user, password: TestData.password)],
            staticTokens: [StaticToken(token: TestData.token)],
            projectNames: [project: region, subProject: "cn-north-4_dev", otherProject: "ap-southeast-1"],
            clusters: [
                SimulatedCluster(projectID: project, clusterID: prod, hasExternalEndpoint: true, name: "prod", labels: ["env": "prod"]),
                SimulatedCluster(projectID: project, clusterID: batch, name: "batch", phase: "Hibernation", category: .turbo),
                SimulatedCluster(projectID: project, clusterID: pilot, type: .autopilot, name: "pilot"),
                SimulatedCluster(projectID: subProject, clusterID: dev, name: "prod"),
            ],
            cloud: cloud
        )
    }

    /// The summaries the project's CCE list must give.
    static let projectClusters = [
        ClusterSummary(
            id: prod,
            name: "prod",
            category: .cce,
            phase: "Available",
            labels: ["FeatureGates": "elbv3,", "env": "prod"],
            region: region,
            projectID: project
        ),
        ClusterSummary(
            id: batch,
            name: "batch",
            category: .turbo,
            phase: "Hibernation",
            labels: ["FeatureGates": "elbv3,"],
            region: region,
            projectID: project
        ),
    ]

    /// Starts the simulator, runs `body` with it and a fast client, and stops both.
    static func with<Result: Sendable>(
        cloud: SimulatorConfiguration.Cloud = .huaweicloud,
        requestTimeout: Duration = .seconds(120),
        _ body: (RunningSimulator, CCEClient) async throws -> Result
    ) async throws -> Result {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cce-fleet-tests-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let simulator = try await CCESimulator.start(configuration(cloud: cloud), directory: directory)
        let client = TestData.client(requestTimeout: requestTimeout)
        do {
            let result = try await body(simulator, client)
            await client.shutdown()
            await simulator.shutdown()
            return result
        } catch {
            await client.shutdown()
            await simulator.shutdown()
            throw error
        }
    }
}

extension RunningSimulator {
    /// Access with `credential`, trusting the simulator's CA, looking projects up at its IAM.
    func access(_ credential: ResolvedCredential) -> FleetAccess {
        FleetAccess(credentialSet: "fleet", credential: credential, iamEndpoint: iamEndpoint, caFile: caFile.path)
    }

    var accessKey: FleetAccess { access(.accessKey(TestData.accessKeyCredential)) }
    var token: FleetAccess { access(.token(TestData.token)) }
    var password: FleetAccess {
        access(
            .password(
                PasswordCredential(
                    user: FleetSimulator.user,
                    domain: FleetSimulator.domain,
                    password: TestData.password,
                    caFile: caFile.path
                )
            )
        )
    }
}

extension CCEClient {
    /// The project's CCE clusters, listed at the simulator with `access`.
    func listProjectClusters(
        _ simulator: RunningSimulator,
        _ access: FleetAccess,
        project: String = FleetSimulator.project,
        type: WatchedCluster.ClusterType = .cce
    ) async throws(FleetQueryError) -> [ClusterSummary] {
        try await listClusters(
            region: FleetSimulator.region,
            projectID: project,
            type: type,
            endpoint: simulator.apiEndpoint,
            access: access
        )
    }
}
