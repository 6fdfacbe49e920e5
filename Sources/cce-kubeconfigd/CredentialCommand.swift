import ArgumentParser
import CCE
import CredentialFiles
import Durations
import Glibc
import Kubeconfig
import KubeconfigOutput
import KubeconfigStore
import Refresh
import WatchList

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `credential N`: the exec plugin of an exec-mode cluster, behind `cce-kubeconfigd-credential`
/// (which answers from the credential record and hands everything else to this command). So
/// this command runs when the record cannot answer: no certificate, an expiring one, a watch
/// list changed since the answer was recorded, a damaged record, options.
struct CredentialCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "credential",
        abstract: "Print the ExecCredential of cluster N for kubectl (the exec plugin of credential_mode: exec).",
        discussion: """
            Reads the certificate and key from $XDG_STATE_HOME/cce-kubeconfigd/credentials/N/. A certificate \
            fetched for another cluster, project, endpoint or credential set than the watch list now names \
            counts as missing. When it is missing or expired: while the service runs, asks it to renew N and \
            waits for it (up to request_timeout); else fetches a new certificate for N (one request however \
            many kubectl processes ask at once), writes it and answers. Errors go to standard error, which \
            kubectl shows.
            """
    )

    @Argument(help: ArgumentHelp("The watch name of the cluster.", valueName: "N"))
    var name: String

    @Flag(name: .customLong("no-fetch"), help: "Fail instead of fetching a certificate when there is no valid one.")
    var noFetch = false

    @OptionGroup var config: ConfigOptions

    func validate() throws {
        guard WatchName.isValid(name) else {
            throw ValidationError(
                "\"\(name)\" is not a watch name: lower-case letters, digits, '-', '.' or '_', starting and ending with a letter or digit."
            )
        }
    }

    func run() async throws {
        let store = ExecCredentialSupport.credentialStore()
        if case .usable(let answer) = try lookUp(in: store) {
            Self.emit(answer.json)
            return
        }
        let directory = store.directory(for: name)
        if noFetch {
            throw CommandFailure(
                "cluster \"\(name)\": no valid client certificate in \(directory); run `cce-kubeconfigd sync --cluster \(name)` "
                    + "or start the service (systemctl --user start cce-kubeconfigd)"
            )
        }
        let stateDirectory = ExecCredentialSupport.stateDirectory()
        if ServicePresence(stateDirectory: stateDirectory).isRunning,
            let answer = try await renewedByService(RenewalRequests(stateDirectory: stateDirectory), store: store)
        {
            Self.emit(answer.json)
            return
        }
        let answer = try await store.withFetchLock(name) { turn in
            // A parallel call may have fetched while this one waited for the lock, or failed to.
            if case .usable(let answer) = try lookUp(in: store) { return answer }
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
        Self.emit(answer.json)
    }

    /// The common case, exactly `credential N` with a current credential record, answered
    /// before ArgumentParser builds the command tree (its reflection over every command costs
    /// more than the answer): what `cce-kubeconfigd-credential` does, for an exec entry that
    /// runs this executable. `true` when answered; anything else is left to the full parse.
    static func answerWithoutParsing(_ arguments: [String]) -> Bool {
        guard arguments.count == 2, arguments[0] == ExecPlugin.subcommand, WatchName.isValid(arguments[1]),
            let answer = ExecCredentialSupport.credentialStore().recordedAnswer(for: arguments[1], at: Date())
        else { return false }
        emit(answer)
        return true
    }

    /// What the credential files hold for this name.
    enum Lookup {
        /// A sound certificate, not about to expire, fetched for what the watch list names.
        case usable(ExecCredential)
        /// None, or one about to expire.
        case missing
        /// A sound one fetched for another cluster, project, endpoint or credential set than
        /// the watch list now names: as good as missing.
        case fetchedForAnother
    }

    /// Checks the stored pair: its record answers when nothing changed since it was written;
    /// else the pair is parsed and checked against the watch list, and the record stamped
    /// again when the watch list still names what it was fetched for.
    private func lookUp(in store: CredentialStore, at now: Date = Date()) throws -> Lookup {
        let stored: StoredCredential?
        do throws(CredentialFileError) {
            stored = try store.read(name)
        } catch {
            throw CommandFailure(error.description)
        }
        guard let stored, ExecCredential.isUsable(stored.validity, at: now) else { return .missing }
        if store.recordedAnswer(for: name, at: now) != nil { return .usable(stored.execCredential) }
        let recorded = store.origin(of: name)
        guard let current = currentOrigin() else {
            // No watch list to check against (none, or one that does not load): the recorded
            // origin stands, and the record answers again until something changes.
            try? store.stamp(stored, origin: recorded ?? .unknown, for: name)
            return .usable(stored.execCredential)
        }
        if current.contradicts(storedFor: recorded) { return .fetchedForAnother }
        // The identity stays the recorded one: a pair of unknown origin is not given the watch list's.
        try? store.stamp(stored, origin: CredentialOrigin(keeping: recorded, checkedAgainst: current), for: name)
        return .usable(stored.execCredential)
    }

    /// The origin the watch list gives this name now; `nil` when it cannot tell (no readable
    /// config, or a cluster found only by listing the fleet).
    private func currentOrigin() -> CredentialOrigin? {
        guard let watchList = try? config.load(), let cluster = watchList.clusters.first(where: { $0.name == name }) else { return nil }
        let environment = ProcessInfo.processInfo.environment
        return ExecCredentialSupport.origin(
            of: cluster,
            in: watchList,
            configPath: config.resolvedPath,
            environment: environment,
            homeDirectory: HomeDirectory.current(environment: environment)
        )
    }

    /// Asks the running service to renew this cluster and waits for the renewed files, up to
    /// the watch list's request timeout; `nil` when the service stopped meanwhile (this call
    /// may then fetch for itself). It never fetches while the service runs.
    private func renewedByService(_ requests: RenewalRequests, store: CredentialStore) async throws -> ExecCredential? {
        do throws(CredentialFileError) {
            try requests.request(name)
        } catch {
            throw CommandFailure(error.description)
        }
        let timeout = (try? config.load())?.requestTimeout ?? WatchListConfig.defaultRequestTimeout
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var lookup = Lookup.missing
        while clock.now < deadline {
            // The service writes the pair and its record in one locked step, so polling the
            // record is cheap; a tenth of a second is well below a fetch's round trip.
            try await Task.sleep(for: .milliseconds(100))
            lookup = try lookUp(in: store)
            if case .usable(let answer) = lookup { return answer }
            guard ServicePresence(stateDirectory: ExecCredentialSupport.stateDirectory()).isRunning else { return nil }
        }
        let waited = "asked the running service to renew it, and it has not within \(DurationText.readable(timeout))"
        if case .fetchedForAnother = lookup {
            throw CommandFailure(
                "cluster \"\(name)\": the certificate in \(store.directory(for: name)) was fetched for another cluster than the watch list now names; "
                    + "\(waited): reload the service (systemctl --user reload cce-kubeconfigd)"
            )
        }
        throw CommandFailure(
            "cluster \"\(name)\": no valid client certificate in \(store.directory(for: name)); \(waited); `cce-kubeconfigd status` shows why"
        )
    }

    /// Fetches the cluster as `sync --cluster N` would, writes it through the one writer
    /// (credential files first, then the kubeconfig, unchanged unless endpoints or CA changed),
    /// and returns the new credential.
    private func fetch(into store: CredentialStore) async throws -> ExecCredential {
        let watchList = try config.load()
        guard let cluster = watchList.clusters.first(where: { $0.name == name }) else {
            throw CommandFailure(
                "\(config.resolvedPath): no cluster named \"\(name)\" in the watch list, so no certificate can be fetched for it"
            )
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
        let writer = ExecCredentialSupport.writer(store: KubeconfigStore(path: path), configPath: config.resolvedPath)
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

    private static func emit(_ bytes: [UInt8]) {
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
