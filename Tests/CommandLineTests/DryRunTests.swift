import Testing

/// `--dry-run` shows the change as a diff with secrets redacted, and writes nothing.
@Suite struct DryRunTests {
    /// A kubeconfig that already holds `prod` from the first CCE answer, so a renewal replaces key material.
    private func kubeconfigWithProd(from fixture: String, in workspace: Workspace) throws -> String {
        let path = try workspace.directory.copy(fixture: fixture, to: "config")
        try workspace.importAnswer(name: "prod", into: path).requireSuccess()
        return path
    }

    @Test func dryRunPrintsAUnifiedDiffAndWritesNothing() throws {
        try Workspace.with { workspace in
            let path = try kubeconfigWithProd(from: Fixtures.kubectlWritten, in: workspace)
            let before = try FileSnapshot(path)

            let result = try workspace.importAnswer(Fixtures.renewedAnswer, name: "prod", into: path, "--dry-run")

            #expect(result.status == 0, "dry run failed: \(result.standardError)")
            let lines = result.standardOutput.split(separator: "\n")
            #expect(lines.contains { $0.hasPrefix("--- ") })
            #expect(lines.contains { $0.hasPrefix("+++ ") })
            #expect(lines.contains { $0.hasPrefix("@@ ") })
            #expect(lines.contains { $0.hasPrefix("-    client-certificate-data: ") })
            #expect(lines.contains { $0.hasPrefix("+    client-certificate-data: ") })
            let untouched = try FileSnapshot(path) == before
            #expect(untouched, "bytes, inode or mtime changed")
            #expect(try workspace.directory.leftovers() == [])
        }
    }

    @Test(arguments: [Fixtures.kubectlWritten, Fixtures.handWritten, Fixtures.jsonKubeconfig])
    func dryRunShowsNoSecretOfTheAnswerOrOfTheKubeconfig(fixture: String) throws {
        let secrets = try SecretFragments(files: [Fixtures.cceAnswer, Fixtures.renewedAnswer, fixture])
        #expect(secrets.count > 6)
        try Workspace.with { workspace in
            let path = try kubeconfigWithProd(from: fixture, in: workspace)

            let runs = [
                try workspace.importAnswer(name: "staging", into: path, "--dry-run"),
                try workspace.importAnswer(Fixtures.renewedAnswer, name: "prod", into: path, "--dry-run"),
                try workspace.remove("prod", from: path, "--dry-run"),
            ]

            for result in runs {
                #expect(result.status == 0, "dry run failed: \(result.standardError)")
                #expect(result.standardOutput.contains("@@ "))
                let leaks = secrets.leaks(in: result.output)
                #expect(leaks.isEmpty, "\(result.arguments.dropFirst().joined(separator: " ")) printed \(leaks)")
            }
        }
    }
}
