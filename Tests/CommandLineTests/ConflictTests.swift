import Testing

/// Design §4 "ownership": a foreign entry with a wanted name stops the import and is named.
@Suite struct ConflictTests {
    @Test func foreignEntryWithAWantedNameStopsTheImportAndIsNamed() throws {
        try Workspace.with { workspace in
            let path = try workspace.directory.copy(fixture: Fixtures.conflictingKubeconfig, to: "config")
            let before = try FileSnapshot(path)

            let result = try workspace.importAnswer(name: "prod", into: path)

            #expect(result.status == 1)
            #expect(result.errorLines.count == 1)
            let message = String(result.errorLines.first ?? "")
            #expect(message.hasPrefix("error: \(path):"))
            #expect(message.contains("cluster \"prod-internal\""))
            #expect(message.contains("context \"prod-internal\""))
            let untouched = try FileSnapshot(path) == before
            #expect(untouched)
            #expect(try workspace.directory.leftovers() == [])
        }
    }
}
