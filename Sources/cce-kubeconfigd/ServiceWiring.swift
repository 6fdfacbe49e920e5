import CCE
import Daemon
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import KubeconfigStore
import Logging
import Refresh
import RefreshCore
import RefreshState
import ServiceSupport
import WatchList

/// The service as `run` and `demo` both start it: the CCE client, the fetcher, the kubeconfig,
/// the state file and systemd's `STATUS=` around one ``RefreshDaemon``.
struct ServiceWiring {
    let daemon: RefreshDaemon
    let client: CCEClient

    /// - Parameter observe: also told of every change of the clusters' states (the demo narrates them).
    init(
        watchList: WatchListConfig,
        kubeconfigPath: String,
        stateFile: StateFile,
        environment: [String: String],
        homeDirectory: String,
        logger: Logger,
        notifier: SystemdNotifier,
        observe: (@Sendable ([(watchName: String, state: ClusterState)]) -> Void)? = nil
    ) throws {
        client = try CCEClient.forWatchList(watchList, environment: environment)
        daemon = RefreshDaemon(config: watchList, dependencies: .init(
            fetcher: ClusterFetcher(client: client, resolver: CredentialResolver(environment: environment, homeDirectory: homeDirectory)),
            store: KubeconfigStore(path: kubeconfigPath),
            logger: logger,
            persisted: Self.persistedStates(stateFile, logger: logger),
            published: { publication in
                _ = notifier.send(.status(publication.statusLine))
                do {
                    try stateFile.write(RefreshStateSnapshot(publication.states, at: Date()))
                } catch {
                    logger.warning("cannot write the state file", metadata: ["error": "\(error)"])
                }
                observe?(publication.states)
            }
        ))
    }

    /// The states the last run left; none (and a warning) when the file cannot be used.
    private static func persistedStates(_ stateFile: StateFile, logger: Logger) -> [String: ClusterState] {
        do {
            return try stateFile.read()?.clusters ?? [:]
        } catch {
            logger.warning("ignoring the state file", metadata: ["error": "\(error)"])
            return [:]
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
    /// The state file's content for these states.
    init(_ states: [(watchName: String, state: ClusterState)], at now: Date) {
        self.init(updatedAt: now, clusters: Dictionary(states.map { ($0.watchName, $0.state) }) { $1 })
    }
}
