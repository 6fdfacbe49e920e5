import Foundation
import Kubeconfig
import Testing
import YAML

/// What the watch list adds to the entries: a context's first namespace, and a proxy for every cluster entry.
@Suite struct EntryOptionsTests {
    private let owner = Ownership(
        watchName: "prod",
        projectID: "0123456789abcdef0123456789abcdef",
        clusterID: "4e7a9f1c-0000-11ee-8f3a-0255ac100b03"
    )

    private func cluster(_ options: EntryOptions, answer: String = "config/examples/cce-kubeconfig.json") throws -> ManagedCluster {
        try ManagedCluster(credentials: try CCECredentials(parsing: try Fixtures.bytes(answer)), owner: owner, options: options)
    }

    private func write(_ cluster: ManagedCluster, into bytes: [UInt8]) throws -> KubeconfigFile {
        try KubeconfigFile(bytes: try MergePlanner.plan(MergeRequest(upserts: [cluster]), against: try KubeconfigFile(bytes: bytes)).result)
    }

    private func namespaces(_ file: KubeconfigFile) -> [String?] {
        file.entries(.contexts).map { $0.node["context"]?["namespace"]?.scalarValue }
    }

    @Test func proxyURLIsWrittenOnEveryClusterEntry() throws {
        let file = try write(try cluster(EntryOptions(proxyURL: "socks5://127.0.0.1:1080")), into: [])
        let proxies = file.entries(.clusters).map { $0.node["cluster"]?["proxy-url"]?.scalarValue }
        #expect(proxies.count == 2)
        #expect(proxies.allSatisfy { $0 == "socks5://127.0.0.1:1080" })
    }

    @Test func withoutAProxyNoClusterEntryHasOne() throws {
        let file = try write(try cluster(EntryOptions()), into: [])
        #expect(file.entries(.clusters).allSatisfy { $0.node["cluster"]?["proxy-url"] == nil })
    }

    @Test func namespaceIsWrittenWhenTheContextIsFirstWritten() throws {
        let file = try write(try cluster(EntryOptions(namespace: "team-a")), into: [])
        #expect(namespaces(file) == ["team-a", "team-a"])
    }

    @Test func aNamespaceSetWithKubectlWinsOverTheConfiguredOne() throws {
        let first = try write(try cluster(EntryOptions(namespace: "team-a")), into: [])
        let edited = String(decoding: first.bytes, as: UTF8.self).replacingOccurrences(of: "namespace: team-a", with: "namespace: payments")
        let renewed = try write(
            try cluster(EntryOptions(namespace: "team-a"), answer: "Tests/Fixtures/cce/renewed.json"),
            into: Array(edited.utf8)
        )
        #expect(namespaces(renewed) == ["payments", "payments"])
    }

    @Test func aContextWrittenWithoutNamespaceIsNotGivenOneLater() throws {
        let first = try write(try cluster(EntryOptions()), into: [])
        let renewed = try write(
            try cluster(EntryOptions(namespace: "team-a"), answer: "Tests/Fixtures/cce/renewed.json"),
            into: first.bytes
        )
        #expect(namespaces(renewed) == [nil, nil])
    }
}
