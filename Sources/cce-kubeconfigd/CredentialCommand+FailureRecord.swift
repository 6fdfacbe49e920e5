import CCE
import Kubeconfig
import Refresh
import RefreshCore
import WatchList

extension CredentialCommand {
    /// The plugin's fetch, through the failure record that `run` and `sync` share: kubectl runs
    /// the plugin again at every command, and a refused access key must not be tried by each of
    /// them (the gateway locks it after a few bad signatures). A call the record holds back
    /// sends nothing and says until when, and what to do.
    static func fetchHonouringFailureRecord(
        _ cluster: WatchedCluster,
        in watchList: WatchListConfig,
        client: CCEClient,
        environment: [String: String]
    ) async -> Result<ManagedCluster, FetchFailure> {
        let gate = FailureRecordGate(
            fetcher: ClusterFetcher(
                client: client,
                resolver: CredentialResolver(environment: environment, homeDirectory: HomeDirectory.current(environment: environment))
            ),
            record: FailureRecordFile(stateDirectory: ExecCredentialSupport.stateDirectory(environment: environment)),
            problem: { Terminal.printError("warning: \($0)") }
        )
        return await gate.fetch(cluster, in: watchList)
    }
}
