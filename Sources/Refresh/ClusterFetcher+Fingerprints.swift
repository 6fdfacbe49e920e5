import CCE
import WatchList

extension ClusterFetcher {
    /// Per credential set of `config`, a value that changes when what its secrets are read from
    /// changes (a secret file written or removed, a variable set): a digest of the resolved
    /// secrets, never the secrets, or the sentence saying why they cannot be resolved.
    package func credentialFingerprints(of config: WatchListConfig) -> [String: String] {
        config.credentials.reduce(into: [:]) { fingerprints, entry in
            fingerprints[entry.key] = credentialFingerprint(entry.value, named: entry.key)
        }
    }

    func credentialFingerprint(_ set: CredentialSet, named name: String) -> String {
        do {
            return try resolver.resolve(set, named: name).credential.fingerprint
        } catch {
            return "unresolved: \(error.description)"
        }
    }

    /// The fingerprint of the set's secrets; `nil` when they cannot be resolved (the fetch then
    /// fails without sending anything).
    func resolvedFingerprint(_ set: CredentialSet, named name: String) -> String? {
        try? resolver.resolve(set, named: name).credential.fingerprint
    }
}
