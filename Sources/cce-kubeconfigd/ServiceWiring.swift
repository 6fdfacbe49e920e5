import CCE
import CredentialFiles
import Daemon
import Fleet
import KubeconfigOutput
import KubeconfigStore
import Logging
import Refresh
import RefreshCore
import RefreshState
import ServiceSupport
import WatchList

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The service as `run` and `demo` both start it: the CCE client, the fetcher, the kubeconfig,
/// the state file and systemd's `STATUS=` around one ``RefreshDaemon``.
struct ServiceWiring {
    let daemon: RefreshDaemon
    let client: CCEClient

    /// - Parameter observe: also told of every change of the clusters' states (the demo narrates them).
    /// Lists the fleet first when the watch list names clusters by their console names or
    /// discovers them.
    ///
    /// - Parameter credentialFiles: where exec-mode clusters' certificates and keys are kept.
    init(
        watchList: WatchListConfig,
        kubeconfigPath: String,
        stateFile: StateFile,
        credentialFiles: CredentialStore,
        environment: [String: String],
        homeDirectory: String,
        logger: Logger,
        notifier: SystemdNotifier,
        configPath: String? = nil,
        observe: (@Sendable ([(watchName: String, state: ClusterState)]) -> Void)? = nil
    ) async throws {
        client = try CCEClient.forWatchList(watchList, environment: environment)
        let credentials = CredentialResolver(environment: environment, homeDirectory: homeDirectory)
        let persisted = Self.persistedState(stateFile, logger: logger)
        let fleet = FleetListingResolver(
            client: client,
            resolver: credentials,
            environment: environment,
            cache: persisted?.resolutions ?? ResolutionCache()
        )
        // Names are looked up and discovery rules listed before the first evaluation: until then
        // nothing would say which entries are the fleet's.
        let resolved = await fleet.resolve(watchList)
        for failure in resolved.listing?.failures ?? [] {
            logger.error("fleet listing incomplete; nothing it could have shown is pruned", metadata: ["error": "\(failure)"])
        }
        daemon = RefreshDaemon(
            source: watchList,
            resolved: resolved,
            dependencies: .init(
                fetcher: FailureRecordGate(
                    fetcher: ClusterFetcher(client: client, resolver: credentials),
                    record: FailureRecordFile(stateDirectory: stateFile.directory),
                    problem: { logger.warning("cannot use the failure record", metadata: ["error": "\($0)"]) }
                ),
                writer: ExecCredentialSupport.writer(
                    store: KubeconfigStore(path: kubeconfigPath),
                    credentials: credentialFiles,
                    configPath: configPath,
                    environment: environment,
                    homeDirectory: homeDirectory
                ),
                logger: logger,
                persisted: persisted?.clusters ?? [:],
                fleet: fleet,
                published: { publication in
                    _ = notifier.send(.status(publication.statusLine))
                    do {
                        try stateFile.write(
                            RefreshStateSnapshot(
                                publication.states,
                                resolutions: publication.resolutions,
                                listingFailures: publication.listingFailures,
                                at: Date()
                            )
                        )
                    } catch {
                        logger.warning("cannot write the state file", metadata: ["error": "\(error)"])
                    }
                    observe?(publication.states)
                }
            )
        )
    }

    /// The states and resolutions the last run left; none (and a warning) when the file cannot be used.
    private static func persistedState(_ stateFile: StateFile, logger: Logger) -> RefreshStateSnapshot? {
        do {
            return try stateFile.read()
        } catch {
            logger.warning("ignoring the state file", metadata: ["error": "\(error)"])
            return nil
        }
    }

    /// Stops the daemon (finishing a write in progress) and the HTTP client.
    func stop() async {
        await withCheckedContinuation { continuation in
            daemon.stop { continuation.resume() }
        }
        await client.shutdown()
    }
}

extension RefreshStateSnapshot {
    /// The state file's content for these states, resolutions and listing failures.
    init(
        _ states: [(watchName: String, state: ClusterState)],
        resolutions: ResolutionCache = ResolutionCache(),
        listingFailures: [String] = [],
        at now: Date
    ) {
        self.init(
            updatedAt: now,
            clusters: Dictionary(states.map { ($0.watchName, $0.state) }) { $1 },
            resolutions: resolutions,
            listingFailures: listingFailures
        )
    }
}
