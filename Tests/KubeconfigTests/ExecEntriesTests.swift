import Foundation
import Kubeconfig
import Testing

/// The exec-mode form of a cluster's entries: pure conversions and what reads them back.
@Suite struct ExecEntriesTests {
    private static let command = "/usr/local/bin/cce-kubeconfigd"

    private func cluster() throws -> ManagedCluster {
        try ManagedCluster(
            credentials: try CCECredentials(parsing: Fixtures.bytes("config/examples/cce-kubeconfig.json")),
            owner: Ownership(watchName: "prod")
        )
    }

    /// `cluster`'s entries merged into an empty kubeconfig, read back.
    private func merged(_ cluster: ManagedCluster) throws -> KubeconfigFile {
        let plan = try MergePlanner.plan(MergeRequest(upserts: [cluster]), against: try KubeconfigFile(bytes: []))
        return try KubeconfigFile(bytes: plan.result)
    }

    @Test func execUserRunsTheCredentialPluginAndHoldsNoKeyData() throws {
        let exec = try cluster().usingExecPlugin(command: Self.command)
        let user = try #require(exec.entries[.users]?.first?.node["user"])
        #expect(user["client-key-data"] == nil)
        #expect(user["client-certificate-data"] == nil)
        #expect(user["exec"]?["command"]?.scalarValue == Self.command)
        #expect(user["exec"]?["args"]?.items?.compactMap(\.scalarValue) == ["credential", "prod"])
        #expect(user["exec"]?["apiVersion"]?.scalarValue == "client.authentication.k8s.io/v1")
        #expect(exec.credentialMode == .exec)
    }

    @Test func clustersAndContextsAreTheSameInBothModes() throws {
        let embed = try cluster()
        let exec = embed.usingExecPlugin(command: Self.command)
        #expect(exec.entries[.clusters]?.map(\.node) == embed.entries[.clusters]?.map(\.node))
        #expect(exec.entries[.contexts]?.map(\.node) == embed.entries[.contexts]?.map(\.node))
    }

    @Test func embeddedCredentialIsThePEMOfTheAnswer() throws {
        let credential = try #require(try cluster().embeddedCredential)
        #expect(String(decoding: credential.certificatePEM, as: UTF8.self) == (try Fixtures.text("Tests/Fixtures/pki/client.crt")))
        #expect(String(decoding: credential.privateKeyPEM, as: UTF8.self) == (try Fixtures.text("Tests/Fixtures/pki/client.key")))
        #expect(try cluster().usingExecPlugin(command: Self.command).embeddedCredential == nil)
    }

    @Test func inventoryTellsTheModeOfEachUser() throws {
        let file = try merged(try cluster().usingExecPlugin(command: Self.command))
        let record = try #require(ManagedInventory(file).clusters.first)
        #expect(record.credentialMode == .exec)
        #expect(record.clientCertificateNotAfter == nil)
        #expect(ManagedInventory(try merged(try cluster())).clusters.first?.credentialMode == .embed)
    }

    @Test func existingExecEntriesAreRestoredWithTheCertificateFromTheCredentialFiles() throws {
        let file = try merged(try cluster().usingExecPlugin(command: Self.command))
        let validity = CertificateValidity(
            notBefore: Date(timeIntervalSince1970: 1_780_000_000),
            notAfter: Date(timeIntervalSince1970: 1_780_600_000)
        )
        #expect(ManagedCluster(existingEntriesOf: Ownership(watchName: "prod"), in: file) == nil)
        let restored = try #require(ManagedCluster(existingEntriesOf: Ownership(watchName: "prod"), in: file, execCertificate: validity))
        #expect(restored.clientCertificate == validity)
        #expect(restored.credentialMode == .exec)
    }
}
