import Kubeconfig
import Testing

@Suite struct RedactedDiffTests {
    @Test(arguments: [
        ("    client-key-data: LS0tLS1CRUdJTg==", "    client-key-data: <redacted>"),
        ("    token: abc.def", "    token: <redacted>"),
        ("    password: 'hunter2'", "    password: <redacted>"),
        ("    id-token: eyJhbGciOi", "    id-token: <redacted>"),
        ("    server: https://127.0.0.1:6443", "    server: https://127.0.0.1:6443"),
        (
            "{\"token\": \"abc\", \"name\": \"x\", \"client-certificate-data\": \"LS0t\"}",
            "{\"token\": <redacted>, \"name\": \"x\", \"client-certificate-data\": <redacted>}"
        ),
    ])
    func secretValuesAreRedacted(line: String, expected: String) {
        #expect(RedactedDiff.redact(line) == expected)
    }

    @Test func diffOfAnImportShowsTheNewEntriesWithoutAnySecret() throws {
        let answer = try Fixtures.text("config/examples/cce-kubeconfig.json")
        let credentials = try CCECredentials(parsing: Array(answer.utf8))
        let managed = try ManagedCluster(credentials: credentials, owner: Ownership(watchName: "prod"))
        let original = try Fixtures.bytes("Tests/Fixtures/kubeconfigs/kubectl-written.yaml")
        let plan = try MergePlanner.plan(MergeRequest(upserts: [managed]), against: try KubeconfigFile(bytes: original))
        let diff = RedactedDiff.make(plan, label: "config")
        #expect(diff.hasPrefix("--- config\n+++ config\n@@ "))
        #expect(diff.contains("+- name: prod-internal\n"))
        #expect(diff.contains("+    client-key-data: <redacted>\n"))
        for secret in [
            credentials.clientKeyData, credentials.clientCertificateData, credentials.endpoints[0].certificateAuthorityData ?? "-",
        ] {
            #expect(!diff.contains(secret.prefix(24)))
        }
        let originalText = String(decoding: original, as: UTF8.self)
        for match in originalText.matches(of: #/-data: (\S{24})/#) {
            #expect(!diff.contains(match.output.1))
        }
    }

    @Test func hunkHeadersCountTheirLines() throws {
        let original = Array("a: 1\nb: 2\nc: 3\nd: 4\ne: 5\nf: 6\ng: 7\nclusters: []\n".utf8)
        let credentials = try CCECredentials(parsing: try Fixtures.bytes("config/examples/cce-kubeconfig-internal-only.json"))
        let managed = try ManagedCluster(credentials: credentials, owner: Ownership(watchName: "p"))
        let plan = try MergePlanner.plan(MergeRequest(upserts: [managed]), against: try KubeconfigFile(bytes: original))
        let diff = RedactedDiff.make(plan, label: "k")
        let lines = diff.split(separator: "\n").dropFirst(2)
        let header = try #require(lines.first)
        let body = lines.dropFirst()
        let removed = body.filter { $0.hasPrefix("-") || $0.hasPrefix(" ") }.count
        let added = body.filter { $0.hasPrefix("+") || $0.hasPrefix(" ") }.count
        #expect(header == "@@ -5,4 +5,\(added) @@")
        #expect(removed == 4)
    }
}
