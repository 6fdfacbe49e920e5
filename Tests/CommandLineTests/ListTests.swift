import Foundation
import Testing

/// `list` shows every managed cluster with its contexts and certificate expiry.
@Suite struct ListTests {
    /// A kubeconfig holding `alpha` and `beta`, both from the first CCE answer.
    private func kubeconfigWithTwoClusters(in workspace: Workspace) throws -> String {
        let path = try workspace.directory.copy(fixture: Fixtures.kubectlWritten, to: "config")
        for name in ["alpha", "beta"] {
            try workspace.importAnswer(name: name, into: path).requireSuccess()
        }
        return path
    }

    /// The part of `list --json` this test reads.
    private struct Listed: Decodable, Equatable {
        struct Context: Decodable, Equatable {
            var name: String
        }

        var watchName: String
        var contexts: [Context]
        var user: String?
        var clientCertificateNotAfter: String?
    }

    @Test func listJSONShowsEachWatchNameWithItsContextsAndCertificateExpiry() throws {
        try Workspace.with { workspace in
            let path = try kubeconfigWithTwoClusters(in: workspace)

            let result = try workspace.cce(["list", "--kubeconfig", path, "--json"])

            #expect(result.status == 0, "list failed: \(result.standardError)")
            let listed = try JSONDecoder().decode([Listed].self, from: Data(result.standardOutput.utf8))
            let expected = ["alpha", "beta"].map { name in
                Listed(
                    watchName: name,
                    contexts: [.init(name: "\(name)-internal"), .init(name: "\(name)-external")],
                    user: name,
                    clientCertificateNotAfter: "2036-01-01T00:00:00Z"
                )
            }
            #expect(listed == expected)
        }
    }

    @Test func listTableMentionsEveryWatchNameAndContext() throws {
        try Workspace.with { workspace in
            let path = try kubeconfigWithTwoClusters(in: workspace)

            let result = try workspace.cce(["list", "--kubeconfig", path])

            #expect(result.status == 0, "list failed: \(result.standardError)")
            let rows = result.standardOutput.split(separator: "\n").dropFirst()
            for context in ["alpha-internal", "alpha-external", "beta-internal", "beta-external"] {
                let watchName = String(context.prefix { $0 != "-" })
                #expect(rows.contains { $0.hasPrefix(watchName + " ") && $0.contains(" \(context) ") && $0.contains("2036-01-01") })
            }
        }
    }
}
