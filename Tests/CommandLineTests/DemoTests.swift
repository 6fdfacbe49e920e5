import Foundation
import Glibc
import Testing

/// `cce-kubeconfigd demo`: the README's first command. It must finish by itself, with or without
/// kubectl, show a renewal, and leave nothing behind in `$TMPDIR`.
@Suite(.serialized)
struct DemoTests {
    /// Short-lived certificates so the renewal comes after about six seconds instead of forty.
    private static let lifetime = ["--certificate-lifetime", "9"]

    @Test func demoRenewsTheShortLivedClusterAndLeavesNothingBehind() throws {
        try Workspace.with { workspace in
            let temporary = try Self.emptyDirectory(in: workspace, named: "tmp")
            let result = try workspace.adding(environment: ["TMPDIR": temporary]).cce(["demo"] + Self.lifetime)

            #expect(result.status == 0, "\(result.output)")
            #expect(result.standardOutput.contains("shop-ci: renewed"))
            #expect(result.standardOutput.contains("health: fresh (3 fresh)"))
            #expect(try FileManager.default.contentsOfDirectory(atPath: temporary).isEmpty)
        }
    }

    @Test(.enabled(if: Programs.hasKubectl, "kubectl is not installed"))
    func demoShowsKubectlUsingEveryContextIncludingTheExternalOne() throws {
        try Workspace.with { workspace in
            let temporary = try Self.emptyDirectory(in: workspace, named: "tmp")
            let result = try workspace.adding(environment: ["TMPDIR": temporary]).cce(["demo"] + Self.lifetime)

            #expect(result.status == 0, "\(result.output)")
            for context in ["shop-dev-internal", "shop-prod-internal", "shop-prod-external", "shop-ci-internal"] {
                #expect(result.standardOutput.contains("kubectl --context \(context) get --raw /version: v"), "\(context)")
            }
            #expect(!result.standardOutput.contains("failed"))
        }
    }

    @Test func demoWithoutKubectlOnPathSaysSoAndStillCompletes() throws {
        try Workspace.with { workspace in
            let temporary = try Self.emptyDirectory(in: workspace, named: "tmp")
            let emptyPath = try Self.emptyDirectory(in: workspace, named: "bin")
            let result = try workspace.adding(environment: ["TMPDIR": temporary, "PATH": emptyPath]).cce(["demo"] + Self.lifetime)

            #expect(result.status == 0, "\(result.output)")
            #expect(result.standardOutput.contains("kubectl is not on PATH"))
            #expect(result.standardOutput.contains("shop-ci: renewed"))
            #expect(try FileManager.default.contentsOfDirectory(atPath: temporary).isEmpty)
        }
    }

    /// kubectl caches discovery and HTTP answers under `~/.kube/cache` unless told otherwise; the
    /// demo gives it a directory of its own, so a home directory it was run in stays as it was.
    @Test(.enabled(if: Programs.hasKubectl, "kubectl is not installed"))
    func demoWithKubectlLeavesAnEmptyHomeEmpty() throws {
        try Workspace.with { workspace in
            let temporary = try Self.emptyDirectory(in: workspace, named: "tmp")
            let home = try Self.emptyDirectory(in: workspace, named: "home")
            let result = try workspace.adding(environment: ["TMPDIR": temporary, "HOME": home]).cce(["demo"] + Self.lifetime)

            #expect(result.status == 0, "\(result.output)")
            #expect(result.standardOutput.contains("kubectl --context shop-dev-internal get --raw /version: v"))
            #expect(try Self.everything(in: home) == [])
            #expect(try FileManager.default.contentsOfDirectory(atPath: temporary).isEmpty)
        }
    }

    @Test func demoWithoutKubectlLeavesAnEmptyHomeEmpty() throws {
        try Workspace.with { workspace in
            let temporary = try Self.emptyDirectory(in: workspace, named: "tmp")
            let home = try Self.emptyDirectory(in: workspace, named: "home")
            let emptyPath = try Self.emptyDirectory(in: workspace, named: "bin")
            let environment = ["TMPDIR": temporary, "HOME": home, "PATH": emptyPath]
            let result = try workspace.adding(environment: environment).cce(["demo"] + Self.lifetime)

            #expect(result.status == 0, "\(result.output)")
            #expect(result.standardOutput.contains("kubectl is not on PATH"))
            #expect(try Self.everything(in: home) == [])
        }
    }

    @Test func interruptingTheDemoStillCleansUp() throws {
        try Workspace.with { workspace in
            let temporary = try Self.emptyDirectory(in: workspace, named: "tmp")
            let demo = try workspace.adding(environment: ["TMPDIR": temporary]).runner
                .start(workspace.executable, ["demo", "--certificate-lifetime", "3600"])
            // Interrupt once the first kubeconfig is written: the daemon and simulator are running.
            var written = false
            for _ in 0..<600 where !written {
                let entries = (try? FileManager.default.contentsOfDirectory(atPath: temporary)) ?? []
                written = entries.contains { FileManager.default.fileExists(atPath: "\(temporary)/\($0)/kube/config") }
                if !written { usleep(100_000) }
            }
            #expect(written, "the demo never wrote its kubeconfig")
            kill(demo.processIdentifier, SIGINT)
            let result = try demo.wait(timeout: .seconds(30))

            #expect(result.status == 0, "\(result.output)")
            #expect(result.standardOutput.contains("Interrupted"))
            #expect(try FileManager.default.contentsOfDirectory(atPath: temporary).isEmpty)
        }
    }

    @Test func aLifetimeTooShortToWatchIsAUsageError() throws {
        try Workspace.with { workspace in
            let result = try workspace.cce(["demo", "--certificate-lifetime", "2"])

            #expect(result.status == 2)
            #expect(result.standardError.contains("--certificate-lifetime must be between 6 and 3600 seconds."))
        }
    }

    /// Every path below `directory`, hidden ones included.
    private static func everything(in directory: String) throws -> [String] {
        try FileManager.default.subpathsOfDirectory(atPath: directory).sorted()
    }

    private static func emptyDirectory(in workspace: Workspace, named name: String) throws -> String {
        let path = workspace.directory.file(name)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        return path
    }
}
