import WatchList

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The simulated account of the demo, and the watch list a user of it would write: one region,
/// `discover:`, one cluster named by its console name in exec mode, and no id anywhere.
///
/// The ids (the project's, the clusters') exist only on the simulator's side, as in the cloud.
struct DemoFleet: Sendable {
    /// A cluster of the simulated console.
    struct Cluster: Sendable {
        var name: String
        var id = UUID().uuidString.lowercased()
        var hasExternalEndpoint = false
        /// A fixed certificate lifetime in seconds; `nil`: as requested (seven days).
        var certificateLifetime: Int?
    }

    static let region = "cn-north-4"

    /// The variables that give the region's CCE and IAM endpoints, as Huawei Cloud's SDKs read
    /// them (and cce-kubeconfigd with them): the demo points both at the simulator.
    static let endpointVariables = (
        cce: CCEEndpoint.environmentVariable(forRegion: region),
        iam: "HUAWEICLOUD_SDK_REGION_IAM_" + String(region.uppercased().map { $0 == "-" ? "_" : $0 })
    )

    let accessKey = "DEMO" + Self.random(from: "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", count: 16)
    let secretKey = Self.random(from: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", count: 40)
    let projectID = Self.random(from: "0123456789abcdef", count: 32)
    /// Named in the watch list, in exec mode, with a public endpoint.
    let exec = Cluster(name: "shop-prod", hasExternalEndpoint: true)
    /// Discovered; deleted while the daemon runs.
    let deleted = Cluster(name: "shop-dev")
    /// Discovered; its certificates live briefly, so that a renewal comes within the demo.
    let shortLived: Cluster
    /// Created while the daemon runs.
    let created = Cluster(name: "shop-staging")

    init(shortLifetime: Int) {
        shortLived = Cluster(name: "shop-ci", certificateLifetime: shortLifetime)
    }

    /// The clusters the simulator starts with.
    var initial: [Cluster] { [exec, deleted, shortLived] }

    /// The simulator's configuration file (docs/simulator.md): the key pair, the region's
    /// project, the initial clusters.
    var simulatorConfiguration: [UInt8] {
        struct File: Encodable {
            struct AccessKey: Encodable { var accessKey, secretKey: String }
            struct Project: Encodable { var id, name: String }
            var accessKeys: [AccessKey]
            var projects: [Project]
            var clusters: [ClusterEntry]
        }
        return Self.json(
            File(
                accessKeys: [.init(accessKey: accessKey, secretKey: secretKey)],
                projects: [.init(id: projectID, name: Self.region)],
                clusters: initial.map(entry)
            )
        )
    }

    /// `cluster` as a `clusters[]` entry of the simulator's file, which `POST /clusters` takes too.
    func entry(_ cluster: Cluster) -> ClusterEntry {
        ClusterEntry(
            projectId: projectID,
            clusterId: cluster.id,
            name: cluster.name,
            externalEndpoint: cluster.hasExternalEndpoint,
            certificateLifetimeSeconds: cluster.certificateLifetime
        )
    }

    /// The watch list. The key pair is read from the environment, so the text holds no secret;
    /// the CA is the simulator's, which the real API, signed by a public CA, does not need.
    func configText(kubeconfig: String, caFile: String) -> String {
        """
        kubeconfig: \(kubeconfig)
        credentials:
          demo:
            type: aksk
            access_key_env: CCE_DEMO_ACCESS_KEY
            secret_key_env: CCE_DEMO_SECRET_KEY
        defaults:
          ca_file: \(caFile)
        clusters:
          - cluster: \(exec.name)         # its name in the console
            region: \(Self.region)
            credential_mode: exec       # the kubeconfig runs `cce-kubeconfigd credential \(exec.name)`
            external_tls: verify
        discover:
          - regions: [\(Self.region)]   # every cluster of the region, new ones too
            interval: 1m

        """
    }

    /// The key pair, and the simulator as the region's CCE and IAM endpoints through the
    /// variables Huawei Cloud's SDKs read for an endpoint of their own.
    func environment(_ simulator: SimulatorEndpoints) -> [String: String] {
        [
            "CCE_DEMO_ACCESS_KEY": accessKey,
            "CCE_DEMO_SECRET_KEY": secretKey,
            Self.endpointVariables.cce: simulator.api,
            Self.endpointVariables.iam: simulator.iam,
        ]
    }

    static func json(_ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        do {
            return Array(try encoder.encode(value))
        } catch {
            preconditionFailure("the demo's simulator configuration holds only strings, numbers and flags: \(error)")
        }
    }

    private static func random(from alphabet: String, count: Int) -> String {
        String((0..<count).map { _ in alphabet.randomElement()! })
    }
}

/// A `clusters[]` entry of the simulator's configuration file, in its snake-case keys.
struct ClusterEntry: Encodable {
    var projectId: String
    var clusterId: String
    var name: String
    var externalEndpoint: Bool
    var certificateLifetimeSeconds: Int?
}
