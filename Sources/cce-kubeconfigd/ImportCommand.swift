import ArgumentParser
import Kubeconfig
import KubeconfigOutput
import KubeconfigStore
import WatchList

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `import FILE --name N`: merge a kubeconfig downloaded from the CCE console (or saved from the API).
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Merge a CCE kubeconfig into your kubeconfig under the name N.",
        discussion: """
            Writes clusters and contexts N-internal and N-external (those the file has) and user N, \
            each marked as managed. Entries of N already there are brought up to date; a foreign \
            entry with one of these names stops the import. current-context is never changed.
            """
    )

    @Argument(help: ArgumentHelp("The CCE kubeconfig (JSON or YAML).", valueName: "file"))
    var file: String

    @Option(help: ArgumentHelp("The watch name N that names the entries.", valueName: "N"))
    var name: String

    @OptionGroup var kubeconfig: KubeconfigOptions

    @Option(help: ArgumentHelp("Which endpoints to write, comma-separated (default: all in the file).", valueName: "internal,external"))
    var endpoints: String?

    @Option(
        name: .customLong("external-tls"),
        help: ArgumentHelp(
            "How to trust the external endpoint: insecure (as CCE hands it out) or verify (cluster CA and the internal host as TLS server name).",
            valueName: "insecure|verify"
        )
    )
    var externalTLS: EntryOptions.ExternalTLS = .insecure

    @Option(
        name: .customLong("project-id"),
        help: ArgumentHelp("The Huawei Cloud project id, recorded in the ownership mark.", valueName: "id")
    )
    var projectID: String?

    @Option(name: .customLong("cluster-id"), help: ArgumentHelp("The CCE cluster id, recorded in the ownership mark.", valueName: "id"))
    var clusterID: String?

    @Option(
        name: .customLong("credential-mode"),
        help: ArgumentHelp(
            "Where certificate and key go: embed (into the user entry) or exec (into private credential files, the user entry running `cce-kubeconfigd credential N`).",
            valueName: "embed|exec"
        )
    )
    var credentialMode: CredentialMode = .embed

    @Flag(name: .customLong("dry-run"), help: "Print what would change as a diff with secrets redacted, and write nothing.")
    var dryRun = false

    func validate() throws {
        guard WatchName.isValid(name) else {
            throw ValidationError(
                "--name \"\(name)\" must be lower-case letters, digits, '-', '.' or '_', starting and ending with a letter or digit."
            )
        }
        if let endpoints, selectedEndpoints(endpoints).isEmpty {
            throw ValidationError("--endpoints needs at least one endpoint name, such as internal or external.")
        }
    }

    func run() throws {
        let credentials = try readCredentials()
        let cluster: ManagedCluster
        do {
            cluster = try ManagedCluster(
                credentials: credentials,
                owner: Ownership(watchName: name, projectID: projectID, clusterID: clusterID),
                options: EntryOptions(endpoints: endpoints.map(selectedEndpoints), externalTLS: externalTLS)
            )
        } catch {
            throw CommandFailure("\(file): \(error)")
        }
        let path = kubeconfig.target(holding: name).path
        let writer = ExecCredentialSupport.writer(store: kubeconfig.store(at: path))
        let result = try ExecCredentialSupport.apply(
            writer,
            OutputBatch(upserts: [(cluster, credentialMode)], kubeconfigDirectory: ""),
            dryRun: dryRun
        )
        if let failure = result.failures[name] {
            throw CommandFailure("\(file): \(failure)")
        }
        let outcome = result.merged
        if let conflict = outcome.plan.conflicts.first {
            throw CommandFailure(KubeconfigError.conflict(conflict).described(in: path))
        }
        if dryRun {
            let diff = RedactedDiff.make(outcome.plan, label: path)
            if !diff.isEmpty { print(diff, terminator: "") }
        }
        print(KubeconfigReport.lines(outcome, path: path, dryRun: dryRun))
        if result.credentialFilesWritten.contains(name) {
            print("\(writer.credentials.directory(for: name)): client certificate and key written")
        }
        if result.credentialFilesRemoved.contains(name) {
            print("\(writer.credentials.directory(for: name)): credential files removed (the key is in the kubeconfig now)")
        }
    }

    private func readCredentials() throws -> CCECredentials {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw CommandFailure("\(file): cannot read the file (missing, a directory, or not readable)")
        }
        do {
            return try CCECredentials(parsing: Array(data))
        } catch {
            throw CommandFailure(error.described(in: file))
        }
    }

    private func selectedEndpoints(_ list: String) -> Set<String> {
        Set(list.split(separator: ",").map { String($0.trimmingWhitespace) }.filter { !$0.isEmpty })
    }
}

extension EntryOptions.ExternalTLS: ExpressibleByArgument {}
