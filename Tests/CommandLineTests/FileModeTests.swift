import Foundation
import Glibc
import Testing

/// Design §5: a new kubeconfig is private, an existing one keeps its mode, a symlink stays a symlink.
@Suite struct FileModeTests {
    @Test func newFileInMissingDirectoriesIsPrivate() throws {
        try Workspace.with { workspace in
            let path = workspace.directory.file("new/dir/config")

            let result = try workspace.importAnswer(name: "prod", into: path)

            #expect(result.status == 0, "import failed: \(result.standardError)")
            #expect(try permissions(path) == 0o600)
            #expect(try permissions(workspace.directory.file("new/dir")) == 0o700)
            #expect(try permissions(workspace.directory.file("new")) == 0o700)
        }
    }

    @Test func existingFileKeepsItsMode() throws {
        try Workspace.with { workspace in
            let path = try workspace.directory.copy(fixture: Fixtures.kubectlWritten, to: "config")
            try #require(chmod(path, 0o640) == 0)
            let before = try FileSnapshot(path)

            let result = try workspace.importAnswer(name: "prod", into: path)

            #expect(result.status == 0, "import failed: \(result.standardError)")
            let rewritten = try FileSnapshot(path).bytes != before.bytes
            #expect(rewritten)
            #expect(try permissions(path) == 0o640)
        }
    }

    @Test func symlinkedKubeconfigStaysALinkAndItsTargetGetsTheEntries() throws {
        try Workspace.with { workspace in
            try FileManager.default.createDirectory(atPath: workspace.directory.file("real"), withIntermediateDirectories: false)
            let target = try workspace.directory.copy(fixture: Fixtures.kubectlWritten, to: "real/config.yaml")
            let link = workspace.kubeconfig
            try #require(symlink("real/config.yaml", link) == 0, "symlink: errno \(errno)")

            let result = try workspace.importAnswer(name: "prod", into: link)

            #expect(result.status == 0, "import failed: \(result.standardError)")
            #expect(isSymbolicLink(link))
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "real/config.yaml")
            let merged = String(decoding: try FileSnapshot(target).bytes, as: UTF8.self)
            #expect(merged.contains("name: prod-internal"))
            #expect(try workspace.directory.leftovers() == [])
            #expect(try FileManager.default.contentsOfDirectory(atPath: workspace.directory.file("real")) == ["config.yaml"])
        }
    }
}
