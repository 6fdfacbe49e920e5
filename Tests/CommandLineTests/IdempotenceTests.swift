import Testing

/// Design §4 "idempotent": merging the same credentials twice writes nothing the second time.
@Suite struct IdempotenceTests {
    @Test(arguments: [Fixtures.kubectlWritten, Fixtures.handWritten, Fixtures.jsonKubeconfig])
    func secondIdenticalImportLeavesTheFileAloneAndSaysSo(fixture: String) throws {
        try Workspace.with { workspace in
            let path = try workspace.directory.copy(fixture: fixture, to: "config")
            try workspace.importAnswer(name: "prod", into: path).requireSuccess()
            let afterFirst = try FileSnapshot(path)

            let second = try workspace.importAnswer(name: "prod", into: path)

            #expect(second.status == 0, "second import failed: \(second.standardError)")
            #expect(second.standardOutput.contains("already up to date"))
            let untouched = try FileSnapshot(path) == afterFirst
            #expect(untouched, "bytes, inode or mtime changed")
        }
    }
}
