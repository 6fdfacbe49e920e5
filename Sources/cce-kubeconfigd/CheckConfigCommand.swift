import ArgumentParser
import CCE
import Durations
import Fleet
import Kubeconfig
import Refresh
import WatchList

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `check-config`: validate the watch list and say what it means; with `--discover`, look the
/// names up and list the fleet, fetching no certificate.
struct CheckConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate the watch-list config and explain it.",
        discussion: "Every problem is reported as file:line:column. Exit 0 when valid, 1 otherwise."
    )

    @OptionGroup var config: ConfigOptions

    @Flag(name: .customLong("discover"), help: "Look names up and list what discovery finds (no certificate is fetched).")
    var discover = false

    func run() async throws {
        let watchList = try config.load()
        let environment = ProcessInfo.processInfo.environment
        print(ConfigExplanation(config: watchList, path: config.resolvedPath, environment: environment).text)
        guard discover else { return }
        let client = try CCEClient.forWatchList(watchList, environment: environment)
        let resolver = CredentialResolver(environment: environment, homeDirectory: HomeDirectory.current(environment: environment))
        // Every name is looked up afresh, not from the state file's ids: a check should tell that
        // a name matches no cluster now. Nothing is written back: the daemon owns the state file.
        let resolved = await FleetListingResolver(client: client, resolver: resolver, environment: environment).resolve(watchList)
        await client.shutdown()
        let rows =
            resolved.listing == nil
            ? watchList.clusters.map { FleetResolution.Row(listed: $0) }
            : resolved.rows
        print(FleetTable.lines(rows: rows).joined(separator: "\n"))
        let problems = resolved.problems.map { $0.described(in: config.resolvedPath) }
        let failures = (resolved.listing?.failures ?? []).filter { failure in !resolved.problems.contains { $0.description == failure } }
        let lines = failures.map { "\(config.resolvedPath): \($0)" } + problems
        guard lines.isEmpty else {
            lines.forEach { Terminal.printError($0) }
            throw ExitCode(1)
        }
    }
}

/// What a valid config will do, in plain lines: where it writes, how it authenticates (by source, never a
/// secret), and each cluster's API endpoint and entries.
struct ConfigExplanation {
    var config: WatchListConfig
    var path: String
    var environment: [String: String]

    var text: String {
        var lines = ["\(path): valid"]
        lines.append("kubeconfig: \(config.kubeconfigPath ?? "as kubectl chooses ($KUBECONFIG, else ~/.kube/config)")")
        if config.output == .files {
            lines.append(
                "output: one kubeconfig per cluster, \(config.kubeconfigDirectory ?? "~/.kube/cce")/<name>.yaml, instead of the kubeconfig above"
            )
        }
        lines.append("refresh at least every \(DurationText.spelled(config.maxRefresh))")
        for name in config.credentials.keys.sorted() {
            lines.append("credentials \(name): \(config.credentials[name].map(String.init(describing:)) ?? "-")")
        }
        for cluster in config.clusters {
            lines.append(
                clusterLine(
                    watchName: cluster.name,
                    what:
                        "\(cluster.type.rawValue) cluster \(cluster.clusterID) in project \(cluster.projectID) via \(endpointText { try cluster.cceEndpoint(environment: $0) })",
                    settings: (cluster.api, cluster.credentials, cluster.durationDays),
                    endpoints: cluster.endpoints
                )
            )
            if cluster.credentialMode == .exec {
                lines.append(
                    "cluster \(cluster.name): credential_mode exec: certificate and key in its credential files; user \(cluster.name) runs `cce-kubeconfigd credential \(cluster.name)`"
                )
            }
        }
        for spec in config.unresolved {
            let cluster =
                switch spec.cluster {
                case .name(let name): "named \"\(name)\""
                case .id(let id): id
                }
            let project =
                switch spec.project {
                case .name(let name): "the project named \(name)"
                case .id(let id): "project \(id)"
                }
            lines.append(
                clusterLine(
                    watchName: spec.watchName,
                    what:
                        "\(spec.options.type.rawValue) cluster \(cluster) in \(project) via \(endpointText { try spec.cceEndpoint(environment: $0) }), looked up when run",
                    settings: (spec.options.api, spec.options.credentials, spec.options.durationDays),
                    endpoints: spec.options.endpoints
                )
            )
        }
        for rule in config.discovery {
            let categories = rule.categories.map(\.rawValue).sorted().joined(separator: ", ")
            let projects = rule.projects.isEmpty ? "" : " (projects \(rule.projects.joined(separator: ", ")))"
            lines.append(
                "discover: the \(categories) clusters of \(rule.regions.joined(separator: ", "))\(projects) named \(rule.include.map(\.description).joined(separator: ", "))"
                    + (rule.exclude.isEmpty ? "" : " but not \(rule.exclude.map(\.description).joined(separator: ", "))")
                    + ", fetched when \(rule.phases.sorted().joined(separator: " or ")), as \(rule.naming) (credentials \(rule.options.credentials)), "
                    + "listed every \(DurationText.spelled(rule.interval))"
            )
        }
        return lines.joined(separator: "\n")
    }

    private func endpointText(_ cceEndpoint: ([String: String]) throws -> URL) -> String {
        (try? cceEndpoint(environment).absoluteString) ?? "no usable endpoint"
    }

    /// One watched cluster: what it is, how it is fetched, and the entries it gets, named as the
    /// writer names them.
    private func clusterLine(
        watchName: String,
        what: String,
        settings: (api: WatchedCluster.API, credentials: String, durationDays: Int),
        endpoints: Set<String>?
    ) -> String {
        let contexts = ManagedCluster.entryNames(watchName: watchName, endpoints: endpoints)
        return
            "cluster \(watchName): \(what) (\(settings.api.rawValue.uppercased()), credentials \(settings.credentials), \(settings.durationDays)-day certificates); "
            + "contexts \(contexts.joined(separator: ", ")) and user \(ManagedCluster.userName(watchName: watchName))"
    }
}
