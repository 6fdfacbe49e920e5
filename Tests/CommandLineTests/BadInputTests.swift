import Testing

/// Design §8: every bad input leaves the kubeconfig as it was and is reported in one line that says where.
@Suite struct BadInputTests {
    /// A bad file and the line its error must name (from `Tests/Fixtures/README.md`), nil when none is checked.
    struct BadFile: Sendable, CustomTestStringConvertible {
        var path: String
        var line: Int?

        var testDescription: String { path.split(separator: "/").last.map(String.init) ?? path }
    }

    static let badAnswers = [
        BadFile(path: "Tests/Fixtures/cce/bad/invalid-json.json", line: 46),
        BadFile(path: "Tests/Fixtures/cce/bad/no-users.json", line: nil),
        BadFile(path: "Tests/Fixtures/cce/bad/bad-base64.json", line: 25),
        BadFile(path: "Tests/Fixtures/cce/bad/http-server.json", line: 9),
        BadFile(path: "Tests/Fixtures/cce/bad/not-pem.json", line: 25),
        BadFile(path: "Tests/Fixtures/cce/bad/wrong-shape.json", line: 5),
    ]

    static let badKubeconfigs = [
        BadFile(path: "Tests/Fixtures/kubeconfigs/bad/invalid-yaml.yaml", line: 10),
        BadFile(path: "Tests/Fixtures/kubeconfigs/bad/duplicate-names.yaml", line: 11),
        BadFile(path: "Tests/Fixtures/kubeconfigs/bad/multi-document.yaml", line: 18),
        BadFile(path: "Tests/Fixtures/kubeconfigs/bad/not-a-mapping.yaml", line: 1),
        BadFile(path: "Tests/Fixtures/kubeconfigs/bad/invalid-utf8.yaml", line: 5),
    ]

    /// Checks the one-line `error: ` report that names `file` (and `line`), and that nothing else was written.
    private func expectRefusal(
        _ result: CommandResult,
        naming file: String,
        line: Int?,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(result.status == 1, sourceLocation: sourceLocation)
        #expect(result.errorLines.count == 1, sourceLocation: sourceLocation)
        let message = String(result.errorLines.first ?? "")
        #expect(message.hasPrefix("error: \(file):"), sourceLocation: sourceLocation)
        if let line {
            #expect(message.hasPrefix("error: \(file):\(line):"), sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: badAnswers)
    func badCCEAnswerIsRefusedWhereItIsWrongAndTheKubeconfigIsUntouched(answer: BadFile) throws {
        try Workspace.with { workspace in
            let path = try workspace.directory.copy(fixture: Fixtures.kubectlWritten, to: "config")
            let before = try FileSnapshot(path)

            let result = try workspace.importAnswer(answer.path, name: "prod", into: path)

            expectRefusal(result, naming: Fixtures.path(answer.path), line: answer.line)
            let untouched = try FileSnapshot(path) == before
            #expect(untouched)
            #expect(try workspace.directory.leftovers() == [])
        }
    }

    @Test func emptyUsersListIsReportedAtItsLine() throws {
        try Workspace.with { workspace in
            let answer = "Tests/Fixtures/cce/bad/no-users.json"
            let result = try workspace.importAnswer(answer, name: "prod", into: workspace.kubeconfig)

            #expect(result.status == 1)
            #expect(result.standardError.hasPrefix("error: \(Fixtures.path(answer)):21:"))
        }
    }

    @Test(arguments: badKubeconfigs)
    func badKubeconfigIsRefusedWhereItIsWrongAndLeftAsItWas(kubeconfig: BadFile) throws {
        try Workspace.with { workspace in
            let path = try workspace.directory.copy(fixture: kubeconfig.path, to: "config")
            let before = try FileSnapshot(path)

            let result = try workspace.importAnswer(name: "prod", into: path)

            expectRefusal(result, naming: path, line: kubeconfig.line)
            let untouched = try FileSnapshot(path) == before
            #expect(untouched)
            #expect(try workspace.directory.leftovers() == [])
        }
    }

    @Test(arguments: [
        ["--name", "BAD_NAME"],
        [],
        ["--name", "prod", "--external-tls", "sometimes"],
    ])
    func usageErrorExitsWithTwoAndWritesNothing(arguments: [String]) throws {
        try Workspace.with { workspace in
            let result = try workspace.cce(["import", Fixtures.path(Fixtures.cceAnswer), "--kubeconfig", workspace.kubeconfig] + arguments)

            #expect(result.status == 2)
            #expect(!result.standardError.isEmpty)
            #expect(try workspace.directory.entries() == [])
        }
    }
}
