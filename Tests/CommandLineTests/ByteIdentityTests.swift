import Foundation
import Testing

/// Design §4 "surgical edits", seen through the command line: bytes outside our entries never change.
@Suite struct ByteIdentityTests {
    @Test(arguments: [Fixtures.kubectlWritten, Fixtures.handWritten])
    func importThenRemoveGivesBackTheOriginalBytes(fixture: String) throws {
        try Workspace.with { workspace in
            let original = try Fixtures.bytes(fixture)
            let path = try workspace.directory.copy(fixture: fixture, to: "config")

            try workspace.importAnswer(name: "prod", into: path).requireSuccess()
            try workspace.remove("prod", from: path).requireSuccess()

            let restored = try FileSnapshot(path).bytes == original
            #expect(restored)
        }
    }

    @Test(arguments: [Fixtures.kubectlWritten, Fixtures.handWritten])
    func importKeepsEveryOriginalLineInOrder(fixture: String) throws {
        try Workspace.with { workspace in
            let original = try Fixtures.bytes(fixture)
            let path = try workspace.directory.copy(fixture: fixture, to: "config")

            try workspace.importAnswer(name: "prod", into: path).requireSuccess()

            let merged = try FileSnapshot(path).bytes
            let grew = merged.count > original.count
            let keptEveryLine = keepsEveryLineInOrder(original, in: merged)
            #expect(grew)
            #expect(keptEveryLine)
        }
    }

    @Test(.enabled(if: Programs.hasKubectl))
    func kubectlShowsEveryOriginalContextOfAJSONKubeconfigPlusTheImportedOnes() throws {
        try Workspace.with { workspace in
            let path = try workspace.directory.copy(fixture: Fixtures.jsonKubeconfig, to: "config.json")
            let originalContexts = try contextNames(inJSON: Fixtures.bytes(Fixtures.jsonKubeconfig))
            try #require(originalContexts.count == 35)

            try workspace.importAnswer(name: "prod", into: path).requireSuccess()
            let view = try workspace.kubectl("config", "view", "--kubeconfig", path, "-o", "json")

            #expect(view.status == 0, "kubectl config view failed: \(view.standardError)")
            let shown = try contextNames(inJSON: Array(view.standardOutput.utf8))
            #expect(shown == originalContexts.union(["prod-internal", "prod-external"]))
        }
    }

    /// The context names of a JSON kubeconfig (kubectl's `view` output redacts the data, names stay).
    private func contextNames(inJSON bytes: [UInt8]) throws -> Set<String> {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        let contexts = try #require(object["contexts"] as? [[String: Any]])
        return Set(contexts.compactMap { $0["name"] as? String })
    }
}
