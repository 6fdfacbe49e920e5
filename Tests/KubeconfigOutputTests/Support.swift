import Foundation
import Glibc
import Kubeconfig
import KubeconfigOutput
import WatchList

/// The committed CCE answers, turned into the entries a fetch brings.
enum Answers {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func bytes(_ relativePath: String) throws -> [UInt8] {
        Array(try Data(contentsOf: repository.appendingPathComponent(relativePath)))
    }

    /// `config/examples/cce-kubeconfig.json` (client.crt) or `Tests/Fixtures/cce/renewed.json` (renewed-client.crt) for `name`.
    static func cluster(_ name: String, renewed: Bool = false) throws -> ManagedCluster {
        let answer = renewed ? "Tests/Fixtures/cce/renewed.json" : "config/examples/cce-kubeconfig.json"
        return try ManagedCluster(credentials: try CCECredentials(parsing: bytes(answer)), owner: Ownership(watchName: name))
    }

    /// A watch list naming `clusters` with their modes.
    static func config(_ clusters: [(String, CredentialMode)], output: OutputMode = .merge, directory: String? = nil) -> WatchListConfig {
        var config = WatchListConfig(
            credentials: [:],
            clusters: clusters.map { name, mode in
                WatchedCluster(
                    name: name,
                    projectID: String(repeating: "0", count: 32),
                    clusterID: "id",
                    region: "cn-north-4",
                    options: ClusterOptions(credentials: "default", credentialMode: mode)
                )
            }
        )
        config.output = output
        config.kubeconfigDirectory = directory
        return config
    }
}

extension OutputWriter {
    /// One update writing the committed CCE answer for each of `names` under `config`.
    @discardableResult
    func apply(answersFor names: [String], config: WatchListConfig, dryRun: Bool = false, now: Date) throws -> OutputOutcome {
        try apply(upserts: try names.map { try Answers.cluster($0) }, removals: [], config: config, dryRun: dryRun, now: now)
    }
}
