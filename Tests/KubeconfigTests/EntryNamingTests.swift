import Kubeconfig
import Testing

/// The names a watched cluster's entries take: `N-<endpoint>` for clusters and contexts, `N` for the user.
@Suite struct EntryNamingTests {
    @Test func clusterAndContextAreTheWatchNameAndTheEndpoint() {
        #expect(ManagedCluster.entryName(watchName: "prod", endpoint: "internal") == "prod-internal")
        #expect(ManagedCluster.entryName(watchName: "staging-eu", endpoint: "external") == "staging-eu-external")
    }

    @Test func userIsTheWatchName() {
        #expect(ManagedCluster.userName(watchName: "prod") == "prod")
    }

    @Test func entriesMadeFromACCEAnswerCarryTheseNames() throws {
        let credentials = try CCECredentials(parsing: try Fixtures.bytes("config/examples/cce-kubeconfig.json"))
        let managed = try ManagedCluster(credentials: credentials, owner: Ownership(watchName: "prod"))
        let expected = ManagedCluster.endpointNames.map { ManagedCluster.entryName(watchName: "prod", endpoint: $0) }
        #expect(managed.entries[.contexts]?.map(\.name) == expected)
        #expect(managed.entries[.clusters]?.map(\.name) == expected)
        #expect(managed.entries[.users]?.map(\.name) == [ManagedCluster.userName(watchName: "prod")])
    }
}
