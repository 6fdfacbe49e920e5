import ArgumentParser
import Kubeconfig
import KubeconfigStore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `--kubeconfig`, shared by every command that reads or writes the kubeconfig.
struct KubeconfigOptions: ParsableArguments {
    @Option(
        name: .customLong("kubeconfig"),
        help: ArgumentHelp(
            "The kubeconfig to use.",
            discussion: "Default: the file $KUBECONFIG points to, resolved as kubectl does for writes, else ~/.kube/config.",
            valueName: "path"
        )
    )
    var path: String?

    @Option(
        name: .customLong("lock-timeout"),
        help: ArgumentHelp(
            "How long to wait for the kubeconfig's lock held by kubectl or another writer.",
            valueName: "seconds"
        )
    )
    var lockTimeout: Double = 10

    func validate() throws {
        guard lockTimeout >= 0, lockTimeout <= 3600 else {
            throw ValidationError("--lock-timeout must be between 0 and 3600 seconds.")
        }
    }

    /// The store for `path`, with the lock timeout asked for.
    func store(at path: String) -> KubeconfigStore {
        KubeconfigStore(path: path, lockTimeout: .milliseconds(Int(lockTimeout * 1000)))
    }

    /// The file to work on. With several files in $KUBECONFIG, the one that already holds the
    /// entries of `watchName` wins, so an update lands where the cluster already is.
    func target(holding watchName: String? = nil) -> KubeconfigTarget {
        target(holdingAnyOf: watchName.map { [$0] } ?? [])
    }

    /// The file to work on; with several files in $KUBECONFIG, the first that holds entries of any of `watchNames`.
    func target(holdingAnyOf watchNames: Set<String>) -> KubeconfigTarget {
        Self.target(explicitPath: path, holdingAnyOf: watchNames)
    }

    /// `explicitPath` (from `--kubeconfig` or the config's `kubeconfig:`), else as kubectl chooses for writes.
    static func target(explicitPath: String?, holdingAnyOf watchNames: Set<String>) -> KubeconfigTarget {
        KubeconfigTarget.resolve(
            explicitPath: explicitPath,
            environment: ProcessInfo.processInfo.environment,
            homeDirectory: HomeDirectory.current(),
            holdsManagedEntries: { candidate in
                guard !watchNames.isEmpty,
                    let bytes = try? KubeconfigStore(path: candidate).read(),
                    let file = try? KubeconfigFile(bytes: bytes)
                else { return false }
                return !watchNames.isDisjoint(with: file.managedWatchNames)
            }
        )
    }
}
