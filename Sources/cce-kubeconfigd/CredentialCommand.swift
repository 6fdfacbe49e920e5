import ArgumentParser
import CCE
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import CredentialFiles
import Glibc
import Kubeconfig
import KubeconfigOutput
import KubeconfigStore
import Refresh
import WatchList

/// `credential N`: the exec plugin of an exec-mode cluster. kubectl runs it for every process
/// that talks to the cluster, so the common path reads two small files and prints: no config,
/// no network, no HTTP client.
struct CredentialCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "credential",
        abstract: "Print the ExecCredential of cluster N for kubectl (the exec plugin of credential_mode: exec).",
        discussion: """
            Reads the certificate and key from $XDG_STATE_HOME/cce-kubeconfigd/credentials/N/. When they \
            are missing or expired and the service is not running, fetches a new certificate for N (one \
            request however many kubectl processes ask at once), writes it and answers. Errors go to \
            standard error, which kubectl shows.
            """
    )

    @Argument(help: ArgumentHelp("The watch name of the cluster.", valueName: "N"))
    var name: String

    @Flag(name: .customLong("no-fetch"), help: "Fail instead of fetching a certificate when there is no valid one.")
    var noFetch = false

    @OptionGroup var config: ConfigOptions

    func validate() throws {
        guard WatchName.isValid(name) else {
            throw ValidationError("\"\(name)\" is not a watch name: lower-case letters, digits, '-', '.' or '_', starting and ending with a letter or digit.")
        }
    }

    func run() async throws {
        let store = ExecCredentialSupport.credentialStore()
        if let answer = try Self.usableCredential(name, in: store, at: Date()) {
            Self.emit(answer)
            return
        }
        let directory = store.directory(for: name)
        if noFetch {
            throw CommandFailure(
                "cluster \"\(name)\": no valid client certificate in \(directory); run `cce-kubeconfigd sync --cluster \(name)` "
                    + "or start the service (systemctl --user start cce-kubeconfigd)"
            )
        }
        if ServicePresence(stateDirectory: ExecCredentialSupport.stateDirectory()).isRunning {
            throw CommandFailure(
                "cluster \"\(name)\": no valid client certificate in \(directory), and the running service has not renewed it yet; "
                    + "`cce-kubeconfigd status` shows why"
            )
        }
        let answer = try await store.withFetchLock(name) { turn in
            // A parallel call may have fetched while this one waited for the lock, or failed to.
            if let answer = try Self.usableCredential(name, in: store, at: Date()) { return answer }
            if let failure = turn.failureWaitedFor { throw CommandFailure(failure) }
            do {
                let answer = try await fetch(into: store)
                store.recordFetchFailure(nil, for: name)
                return answer
            } catch let failure as CommandFailure {
                store.recordFetchFailure(failure.message, for: name)
                throw failure
            }
        }
        Self.emit(answer)
    }

    /// The common case, exactly `credential N` with a valid certificate stored, answered before
    /// ArgumentParser builds the command tree: its reflection over every command costs more
    /// than reading and printing the credential. `true` when answered; anything else (options,
    /// a missing or expiring certificate, bad state) is left to the full parse, which fetches
    /// or reports.
    static func answerWithoutParsing(_ arguments: [String]) -> Bool {
        guard arguments.count == 2, arguments[0] == ExecPlugin.subcommand, WatchName.isValid(arguments[1]),
              let answer = try? usableCredential(arguments[1], in: ExecCredentialSupport.credentialStore(), at: Date())
        else { return false }
        emit(answer)
        return true
    }

    /// The stored credential when it is sound and not about to expire; `nil` to fetch.
    private static func usableCredential(_ name: String, in store: CredentialStore, at now: Date) throws -> ExecCredential? {
        let stored: StoredCredential?
        do throws(CredentialFileError) {
            stored = try store.read(name)
        } catch {
            throw CommandFailure(error.description)
        }
        guard let stored, ExecCredential.isUsable(stored.validity, at: now) else { return nil }
        return stored.execCredential
    }

    /// Fetches the cluster as `sync --cluster N` would, writes it through the one writer
    /// (credential files first, then the kubeconfig, unchanged unless endpoints or CA changed),
    /// and returns the new credential.
    private func fetch(into store: CredentialStore) async throws -> ExecCredential {
        let watchList = try config.load()
        guard let cluster = watchList.clusters.first(where: { $0.name == name }) else {
            throw CommandFailure("\(config.resolvedPath): no cluster named \"\(name)\" in the watch list, so no certificate can be fetched for it")
        }
        let environment = ProcessInfo.processInfo.environment
        let client = try CCEClient.forWatchList(watchList, environment: environment)
        let result = await Self.fetchHonouringFailureRecord(cluster, in: watchList, client: client, environment: environment)
        await client.shutdown()
        let managed: ManagedCluster
        switch result {
        case .success(let fetched): managed = fetched
        case .failure(let failure): throw CommandFailure(failure.message)
        }
        guard let credential = managed.embeddedCredential else {
            throw CommandFailure("cluster \"\(name)\": the answer holds no client certificate and key")
        }
        let path = KubeconfigOptions.target(explicitPath: watchList.kubeconfigPath, holdingAnyOf: [name]).path
        let writer = ExecCredentialSupport.writer(store: KubeconfigStore(path: path))
        let outcome: OutputOutcome
        do throws(KubeconfigUpdateError) {
            outcome = try writer.apply(upserts: [managed], removals: [], config: watchList, dryRun: false, now: Date())
        } catch {
            throw CommandFailure(error.description)
        }
        if let failure = outcome.failures[name] { throw CommandFailure(failure) }
        for conflict in outcome.conflicts {
            Terminal.printError("warning: \(KubeconfigError.conflict(conflict).described(in: path))")
        }
        return ExecCredential(credential: credential, validity: managed.clientCertificate)
    }

    private static func emit(_ answer: ExecCredential) {
        let bytes = answer.json
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(STDOUT_FILENO, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { return }
                offset += written
            }
        }
    }
}
