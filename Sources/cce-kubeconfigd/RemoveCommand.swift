import ArgumentParser
import Kubeconfig
import KubeconfigOutput
import KubeconfigStore

/// `remove N`: delete every entry managed for the watch name N, and nothing else.
struct RemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove",
        abstract: "Remove the clusters, contexts and user managed for N.",
        discussion:
            "Only entries carrying N's ownership mark are removed, and N's credential files if it used credential_mode: exec; current-context is left as it is."
    )

    @Argument(help: ArgumentHelp("The watch name.", valueName: "N"))
    var name: String

    @OptionGroup var kubeconfig: KubeconfigOptions

    @Flag(name: .customLong("dry-run"), help: "Print what would change as a diff with secrets redacted, and write nothing.")
    var dryRun = false

    func run() throws {
        let path = kubeconfig.target(holding: name).path
        let writer = ExecCredentialSupport.writer(store: kubeconfig.store(at: path))
        let result = try ExecCredentialSupport.apply(
            writer,
            OutputBatch(upserts: [], removals: [name], kubeconfigDirectory: ""),
            dryRun: dryRun
        )
        let outcome = result.merged
        if result.credentialFilesRemoved.contains(name) {
            print("\(writer.credentials.directory(for: name)): credential files removed")
        }
        guard !outcome.plan.isEmpty || result.credentialFilesRemoved.contains(name) else {
            throw CommandFailure("\(path): no entries are managed for \"\(name)\"")
        }
        if dryRun {
            print(RedactedDiff.make(outcome.plan, label: path), terminator: "")
        }
        print(KubeconfigReport.lines(outcome, path: path, dryRun: dryRun))
    }
}
