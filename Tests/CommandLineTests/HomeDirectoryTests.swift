import Foundation
import Testing

/// Without `--kubeconfig` or `$KUBECONFIG` the file is `$HOME/.kube/config`, as kubectl has it,
/// whatever the password database says the home directory is.
struct HomeDirectoryTests {
    @Test func importWithoutAKubeconfigOptionWritesUnderHOME() throws {
        try Workspace.with { workspace in
            let result = try workspace.cce(["import", Fixtures.cceAnswer, "--name", "prod"])

            #expect(result.status == 0, "\(result.output)")
            #expect(FileManager.default.fileExists(atPath: workspace.directory.file(".kube/config")))
        }
    }
}
