import ArgumentParser
import CCE
import CredentialFiles
import CredentialRecord
import Glibc
import Kubeconfig
import KubeconfigOutput
import KubeconfigStore
import RefreshState
import WatchList

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Where the exec-mode pieces live for this user, and the writer that uses them.
enum ExecCredentialSupport {
    /// `$XDG_STATE_HOME/cce-kubeconfigd` (else `~/.local/state/cce-kubeconfigd`): the state file's directory.
    static func stateDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let path = StateFile.defaultPath(environment: environment, homeDirectory: HomeDirectory.current(environment: environment))
        return String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)])
    }

    static func credentialStore(environment: [String: String] = ProcessInfo.processInfo.environment) -> CredentialStore {
        CredentialStore(stateDirectory: stateDirectory(environment: environment))
    }

    /// The absolute path of this executable, symlinks resolved: what an exec entry runs, so
    /// kubectl finds it whatever its `PATH`.
    static var executablePath: String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard count > 0 else { return CommandLine.arguments[0] }
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// What an exec entry runs: the small plugin (`cce-kubeconfigd-credential`) when it is
    /// installed beside this executable, which answers from the credential record and hands
    /// everything else to this one; else this executable.
    static var execCommand: String {
        CompanionExecutable.credentialPlugin.path(besideExecutableAt: executablePath) ?? executablePath
    }

    /// The writer for `store`, with this user's credential files and the plugin; each exec-mode
    /// certificate is recorded with its origin under the watch list read from `configPath`.
    static func writer(
        store: KubeconfigStore,
        credentials: CredentialStore = credentialStore(),
        configPath: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        homeDirectory: String = HomeDirectory.current()
    ) -> OutputWriter {
        OutputWriter(
            store: store,
            credentials: credentials,
            execCommand: execCommand,
            homeDirectory: homeDirectory,
            origin: { cluster, config in
                origin(of: cluster, in: config, configPath: configPath, environment: environment, homeDirectory: homeDirectory)
            }
        )
    }

    /// What `cluster`'s certificate is fetched for under `config` (read from `configPath`), and
    /// the files and variables whose change could point the name elsewhere: the watch list and
    /// any file or variable (in `environment`) the key id comes from.
    static func origin(
        of cluster: WatchedCluster,
        in config: WatchListConfig,
        configPath: String?,
        environment: [String: String],
        homeDirectory: String
    ) -> CredentialOrigin {
        let region = cluster.region ?? ""
        let endpoint =
            cluster.endpoint?.absoluteString ?? cluster.cloud.cceEndpoint(forRegion: region)?.absoluteString
            ?? "\(cluster.cloud.rawValue) \(region)"
        var inputs = configPath.map { [absolute($0)] } ?? []
        var variables: [String] = []
        var keyID: String?
        switch config.credentials[cluster.credentials] {
        case .password(let user, let domain, _, _, _)?:
            keyID = "password \(domain) \(user)"
        case .token(let source)?:
            keyID = "token \(source)"
            if case .file(let path) = source { inputs.append(path) }
        case let set?:
            switch set {
            case .aksk(.file(let path), _, _):
                inputs.append(path)
            case .aksk(.environment(let name), _, _):
                variables.append(name)
            case .sdk:
                // The SDK's chain: the variables, then the credentials file, then KooCLI's
                // current profile; any of them can switch the identity.
                let resolver = CredentialResolver(environment: environment, homeDirectory: homeDirectory)
                inputs += [resolver.sdkCredentialsPath, resolver.kooCLIConfigPath]
                typealias SDK = CredentialResolver.SDKVariable
                variables += [SDK.accessKey, SDK.idpID, SDK.credentialsFile]
            default:
                break
            }
            let resolver = CredentialResolver(environment: environment, homeDirectory: homeDirectory)
            if case .accessKey(let key)? = (try? resolver.resolve(set, named: cluster.credentials))?.credential {
                keyID = "access key \(key.accessKey)"
            }
        case nil:
            break
        }
        return CredentialOrigin(
            clusterID: cluster.clusterID,
            projectID: cluster.projectID,
            endpoint: endpoint,
            keyID: keyID,
            inputs: inputs,
            variables: variables.map { name in VariableFingerprint(of: name, environment: { environment[$0] }) }
        )
    }

    /// `path` made absolute against the working directory: a record's fingerprints must name
    /// the same file from kubectl's working directory.
    private static func absolute(_ path: String) -> String {
        guard !path.hasPrefix("/") else { return path }
        return FileManager.default.currentDirectoryPath + "/" + path
    }

    /// Runs a batch, turning its failure into the command's one-sentence error.
    static func apply(_ writer: OutputWriter, _ batch: OutputBatch, dryRun: Bool) throws -> OutputOutcome {
        do {
            return try writer.apply(batch, dryRun: dryRun, now: Date())
        } catch {
            throw CommandFailure(error.description)
        }
    }
}

extension CredentialMode: ExpressibleByArgument {}
