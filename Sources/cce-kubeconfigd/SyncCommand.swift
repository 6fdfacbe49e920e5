import ArgumentParser
import CCE
import Fleet
import Kubeconfig
import KubeconfigOutput
import KubeconfigStore
import Refresh
import RefreshState
import WatchList

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `sync`: one refresh pass, then exit; for cron, CI and first-time set-up.
struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Fetch the certificates that are due and merge them into the kubeconfig, once.",
        discussion: """
            A cluster is due when its certificate in the kubeconfig is missing, past two thirds of its \
            lifetime, near expiry, or older than max_refresh. Managed entries of watch names no longer \
            in the config are removed. A cluster that fails keeps its previous entries. Exit 0 when \
            every cluster is fine, 1 when any failed.
            """
    )

    @OptionGroup var config: ConfigOptions

    @Flag(help: "Fetch every cluster, due or not.")
    var force = false

    @Option(name: .customLong("cluster"), help: ArgumentHelp("Only this watch name (repeatable); nothing is pruned then.", valueName: "N"))
    var clusters: [String] = []

    @Flag(name: .customLong("dry-run"), help: "Fetch, then print the diff with secrets redacted instead of writing.")
    var dryRun = false

    func run() async throws {
        let source = try config.load()
        let environment = ProcessInfo.processInfo.environment
        let home = HomeDirectory.current(environment: environment)
        let client = try CCEClient.forWatchList(source, environment: environment)
        let credentials = CredentialResolver(environment: environment, homeDirectory: home)
        let stateFile = StateFile(path: StateFile.defaultPath(environment: environment, homeDirectory: home))
        let persisted: RefreshStateSnapshot? = (try? stateFile.read()) ?? nil
        // The ids earlier runs found by name: a warm cache fetches without listing.
        let fleet = FleetListingResolver(
            client: client,
            resolver: credentials,
            environment: environment,
            cache: persisted?.resolutions ?? ResolutionCache()
        )
        let resolved = await fleet.resolve(source)
        guard resolved.problems.isEmpty else {
            await client.shutdown()
            throw CommandFailure(ConfigProblems(path: config.resolvedPath, problems: resolved.problems).description)
        }
        let listingFailures = resolved.listing?.failures ?? []
        for failure in listingFailures {
            let sentence = failure.hasSuffix(".") ? failure.dropLast() : failure[...]
            Terminal.printError("\(sentence); nothing it could have shown is pruned.")
        }
        let watchList = resolved.config
        let unknown = Set(clusters).subtracting(watchList.clusters.map(\.name))
        guard unknown.isEmpty else {
            await client.shutdown()
            throw CommandFailure(
                "\(config.resolvedPath): no cluster named \(unknown.sorted().map { "\"\($0)\"" }.joined(separator: ", ")) in the watch list"
            )
        }
        let gate = FailureRecordGate(
            fetcher: ClusterFetcher(client: client, resolver: credentials),
            record: FailureRecordFile(stateDirectory: stateFile.directory),
            problem: { Terminal.printError("warning: \($0)") }
        )
        if force {
            // An explicit --force is the user's word that the credential is worth trying again.
            do {
                try gate.reset(watchList.clusters.filter { clusters.isEmpty || clusters.contains($0.name) })
            } catch {
                Terminal.printError("warning: \(error)")
            }
        }
        let names = Set(watchList.clusters.map(\.name))
        let path = KubeconfigOptions.target(explicitPath: watchList.kubeconfigPath, holdingAnyOf: names).path
        let pass = RefreshPass(
            config: watchList,
            listing: resolved.listing,
            fetcher: gate,
            writer: ExecCredentialSupport.writer(
                store: KubeconfigStore(path: path),
                credentials: ExecCredentialSupport.credentialStore(environment: environment),
                configPath: config.resolvedPath,
                environment: environment,
                homeDirectory: home
            )
        )
        let report: RefreshReport
        do {
            report = try await pass.run(
                .init(force: force, only: clusters.isEmpty ? nil : Set(clusters), dryRun: dryRun),
                persisted: persisted?.clusters ?? [:],
                progress: { Terminal.printError("sync: \($0)") }
            )
        } catch {
            await client.shutdown()
            throw CommandFailure(error.description)
        }
        await client.shutdown()

        if dryRun {
            if let plan = report.plan { print(RedactedDiff.make(plan, label: path), terminator: "") }
        } else {
            do {
                // A name whose cluster answered 404 is forgotten: the next sync lists it again.
                var resolutions = fleet.cache
                for clusterID in report.staleResolutions { resolutions.forget(clusterID: clusterID) }
                try stateFile.write(
                    RefreshStateSnapshot(report.states, resolutions: resolutions, listingFailures: listingFailures, at: Date())
                )
            } catch {
                Terminal.printError("warning: \(error)")
            }
        }
        for (name, outcome) in report.clusters {
            print("\(name): \(Self.describe(outcome))")
        }
        for name in report.pruned {
            print("\(name): \(dryRun ? "would be removed" : "removed") (no longer in the watch list)")
        }
        guard report.allSucceeded, listingFailures.isEmpty else { throw ExitCode.failure }
    }

    private static func describe(_ outcome: RefreshReport.Outcome) -> String {
        switch outcome {
        case .refreshed(let validUntil, let changed):
            return "ok, certificate valid until \(validUntil.formatted(.iso8601))\(changed ? "" : " (kubeconfig already current)")"
        case .fresh(let until, let reason):
            return "skipped, fresh until \(until.formatted(.iso8601)) (next refresh: \(reason.description))"
        case .failed(let reason):
            return "failed: \(reason)"
        }
    }
}
