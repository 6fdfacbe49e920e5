import CredentialFiles
import Foundation
import Kubeconfig
import KubeconfigOutput
import KubeconfigStore
import TestSupport
import Testing
import WatchList

/// The one writer of a batch: credential files, the merged kubeconfig, per-cluster files.
@Suite struct OutputWriterTests {
    private let now = Date(timeIntervalSince1970: 1_780_000_000)
    private static let command = "/opt/cce/bin/cce-kubeconfigd"

    private func writer(_ directory: TemporaryDirectory) -> OutputWriter {
        OutputWriter(
            store: KubeconfigStore(path: directory.file("config")),
            credentials: CredentialStore(root: directory.file("state/credentials")),
            execCommand: Self.command,
            homeDirectory: directory.path
        )
    }

    /// The source text of the user entry `name`.
    private func user(_ name: String, in text: String) throws -> String {
        let file = try KubeconfigFile(bytes: Array(text.utf8))
        let entry = try #require(file.entries(.users).first { $0.name == name })
        return String(decoding: file.sourceText(of: entry) ?? [], as: UTF8.self)
    }

    @Test func execModeWritesTheCredentialFilesAndAnExecUserWithoutKeyData() throws {
        try TemporaryDirectory.with { directory in
            let writer = writer(directory)
            let outcome = try writer.apply(answersFor: ["prod"], config: Answers.config([("prod", .exec)]), now: now)

            #expect(outcome.merged.wrote)
            #expect(outcome.credentialFilesWritten == ["prod"])
            let text = try directory.text("config")
            #expect(!text.contains("client-key-data"))
            #expect(!text.contains("client-certificate-data"))
            let user = try user("prod", in: text)
            #expect(user.contains("command: \(Self.command)"))
            #expect(user.contains("apiVersion: client.authentication.k8s.io/v1"))
            #expect(user.contains("interactiveMode: Never"))
            #expect(user.contains("provideClusterInfo: false"))
            #expect(user.contains("watch-name: prod"))
            #expect(try writer.credentials.read("prod")?.credential == (try Answers.cluster("prod")).embeddedCredential)
        }
    }

    @Test func renewalInExecModeChangesTheCredentialFilesAndNotTheKubeconfig() throws {
        try TemporaryDirectory.with { directory in
            let writer = writer(directory)
            let config = Answers.config([("prod", .exec)])
            try writer.apply(answersFor: ["prod"], config: config, now: now)
            let before = try directory.text("config")

            let renewal = try writer.apply(
                upserts: [try Answers.cluster("prod", renewed: true)],
                removals: [],
                config: config,
                dryRun: false,
                now: now
            )
            #expect(!renewal.merged.wrote)
            #expect(renewal.plan.isEmpty)
            #expect(try directory.text("config") == before)
            #expect(try writer.credentials.read("prod")?.credential == (try Answers.cluster("prod", renewed: true)).embeddedCredential)
        }
    }

    @Test func switchingToExecReplacesOnlyTheUserAndDropsItsKeyInOneUpdate() throws {
        try TemporaryDirectory.with { directory in
            let writer = writer(directory)
            try writer.apply(answersFor: ["prod"], config: Answers.config([("prod", .embed)]), now: now)
            #expect(try directory.text("config").contains("client-key-data"))

            let switched = try writer.apply(answersFor: ["prod"], config: Answers.config([("prod", .exec)]), now: now)
            #expect(switched.plan.changes == [MergePlan.Change(section: .users, name: "prod", action: .replace)])
            #expect(!(try directory.text("config").contains("client-key-data")))
        }
    }

    @Test func switchingBackToEmbedRemovesTheCredentialFiles() throws {
        try TemporaryDirectory.with { directory in
            let writer = writer(directory)
            try writer.apply(answersFor: ["prod"], config: Answers.config([("prod", .exec)]), now: now)

            let switched = try writer.apply(answersFor: ["prod"], config: Answers.config([("prod", .embed)]), now: now)
            #expect(switched.credentialFilesRemoved == ["prod"])
            #expect(!FileManager.default.fileExists(atPath: writer.credentials.directory(for: "prod")))
            #expect(try directory.text("config").contains("client-key-data"))
        }
    }

    @Test func removedClusterLosesItsEntriesAndItsCredentialFiles() throws {
        try TemporaryDirectory.with { directory in
            let writer = writer(directory)
            let config = Answers.config([("prod", .exec), ("dev", .exec)])
            try writer.apply(answersFor: ["prod", "dev"], config: config, now: now)

            let removal = try writer.apply(upserts: [], removals: ["dev"], config: config, dryRun: false, now: now)
            #expect(removal.credentialFilesRemoved == ["dev"])
            #expect(try KubeconfigFile(bytes: Array(directory.text("config").utf8)).managedWatchNames == ["prod"])
            #expect(try writer.credentials.read("prod") != nil)
        }
    }

    @Test func dryRunPlansTheExecEntriesAndWritesNothing() throws {
        try TemporaryDirectory.with { directory in
            let writer = writer(directory)
            let outcome = try writer.apply(answersFor: ["prod"], config: Answers.config([("prod", .exec)]), dryRun: true, now: now)
            #expect(!outcome.wrote)
            #expect(!String(decoding: outcome.plan.result, as: UTF8.self).contains("client-key-data"))
            #expect(!directory.exists("config"))
            #expect(!directory.exists("state"))
        }
    }

    @Test func clusterWhoseFilesCannotBeWrittenKeepsItsEntriesAndTheOthersGoOn() throws {
        try TemporaryDirectory.with { directory in
            let writer = writer(directory)
            try FileManager.default.createDirectory(atPath: writer.credentials.keyPath(for: "prod"), withIntermediateDirectories: true)

            let outcome = try writer.apply(
                answersFor: ["prod", "dev"],
                config: Answers.config([("prod", .exec), ("dev", .exec)]),
                now: now
            )
            #expect(
                outcome.failures["prod"]
                    == CredentialFileError.wrongKind(watchName: "prod", path: writer.credentials.keyPath(for: "prod")).description
            )
            #expect(try KubeconfigFile(bytes: Array(directory.text("config").utf8)).managedWatchNames == ["dev"])
        }
    }

    @Test func filesModeWritesOneKubeconfigPerClusterAndNothingMerged() throws {
        try TemporaryDirectory.with { directory in
            let writer = writer(directory)
            let config = Answers.config([("prod", .exec), ("dev", .embed)], output: .files, directory: directory.file("kube.d"))
            let outcome = try writer.apply(answersFor: ["prod", "dev"], config: config, now: now)

            #expect(outcome.files.map(\.result) == [.written, .written])
            #expect(try KubeconfigFile(bytes: Array(directory.text("kube.d/prod.yaml").utf8)).managedWatchNames == ["prod"])
            #expect(try KubeconfigFile(bytes: Array(directory.text("kube.d/dev.yaml").utf8)).managedWatchNames == ["dev"])
            #expect(!(try directory.text("kube.d/prod.yaml").contains("client-key-data")))
            #expect(!directory.exists("config"))
            #expect(try writer.managedWatchNames(config: config) == ["prod", "dev"])
        }
    }

    @Test func filesModeRemovesARemovedClustersFileAndNoForeignFile() throws {
        try TemporaryDirectory.with { directory in
            let writer = writer(directory)
            let config = Answers.config([("prod", .embed), ("dev", .embed)], output: .files, directory: directory.file("kube.d"))
            try writer.apply(answersFor: ["prod", "dev"], config: config, now: now)
            let foreign = directory.file("kube.d/other.yaml")
            try Data("apiVersion: v1\nkind: Config\n".utf8).write(to: URL(fileURLWithPath: foreign))

            let removal = try writer.apply(upserts: [], removals: ["dev", "other"], config: config, dryRun: false, now: now)
            #expect(removal.files.map(\.result) == [.removed])
            #expect(!directory.exists("kube.d/dev.yaml"))
            #expect(directory.exists("kube.d/prod.yaml"))
            #expect(try directory.text("kube.d/other.yaml") == "apiVersion: v1\nkind: Config\n")
        }
    }

    @Test func filesModeKeepsAClusterFileThatHoldsForeignEntriesToo() throws {
        try TemporaryDirectory.with { directory in
            let writer = writer(directory)
            let config = Answers.config([("dev", .embed)], output: .files, directory: directory.file("kube.d"))
            try writer.apply(answersFor: ["dev"], config: config, now: now)
            let path = directory.file("kube.d/dev.yaml")
            let text = try directory.text("kube.d/dev.yaml").replacingOccurrences(
                of: "contexts:\n",
                with: "contexts:\n- name: mine\n  context:\n    cluster: dev-internal\n    user: dev\n"
            )
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))

            let removal = try writer.apply(upserts: [], removals: ["dev"], config: config, dryRun: false, now: now)
            #expect(removal.files.map(\.result) == [.written])
            let left = try KubeconfigFile(bytes: Array(directory.text("kube.d/dev.yaml").utf8))
            #expect(left.entries(.contexts).map(\.name) == ["mine"])
            #expect(left.managedWatchNames.isEmpty)
        }
    }

    @Test func filesModeTakesTheClustersOutOfTheMergedKubeconfig() throws {
        try TemporaryDirectory.with { directory in
            let writer = writer(directory)
            try writer.apply(answersFor: ["prod"], config: Answers.config([("prod", .embed)]), now: now)

            let files = Answers.config([("prod", .embed)], output: .files, directory: directory.file("kube.d"))
            try writer.apply(answersFor: ["prod"], config: files, now: now)
            #expect(try KubeconfigFile(bytes: Array(directory.text("config").utf8)).managedWatchNames.isEmpty)
            #expect(directory.exists("kube.d/prod.yaml"))
        }
    }
}
