import CredentialRecord
import Crypto

/// What a certificate about to be stored was fetched for, and the files that could point its
/// watch name elsewhere (the watch list, a file holding the access key id): the credential
/// record keeps both, so that neither the plugin nor the full binary hands the certificate to a
/// name that now means another cluster.
package struct CredentialOrigin: Sendable, Hashable {
    /// `nil` when not known (a certificate imported from a CCE answer, without a watch list).
    package var identity: CertificateIdentity?
    /// Absolute paths whose change sends the next `credential` call to the full check.
    package var inputs: [String]

    /// Nothing known: what `import` writes, having no watch list.
    package static let unknown = CredentialOrigin(identity: nil, inputs: [])

    package init(identity: CertificateIdentity?, inputs: [String]) {
        self.identity = identity
        self.inputs = inputs
    }

    /// The identity of a certificate for `clusterID` in `projectID` at `endpoint`, asked for with
    /// the credential set whose key id is `keyID` (`nil` when it cannot be resolved here).
    package init(clusterID: String, projectID: String, endpoint: String, keyID: String?, inputs: [String]) {
        self.init(
            identity: CertificateIdentity(
                clusterID: clusterID,
                projectID: projectID,
                endpoint: endpoint,
                keyIDDigest: keyID.map(Self.digest)
            ),
            inputs: inputs
        )
    }

    /// The identity `recorded` holds (none when `nil`) with new `inputs`: what a record is stamped
    /// with after the watch list changed without contradicting it.
    package init(keeping recorded: CredentialOrigin?, inputs: [String]) {
        self.init(identity: recorded?.identity, inputs: inputs)
    }

    /// The hex SHA-256 of a key id: a record holds no key id in clear, and no key at all.
    static func digest(_ keyID: String) -> String {
        SHA256.hash(data: Array(keyID.utf8)).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    /// Whether a certificate fetched for `stored` must not be handed out for this origin.
    package func contradicts(storedFor stored: CredentialOrigin?) -> Bool {
        guard let mine = identity, let theirs = stored?.identity else { return false }
        return mine.contradicts(theirs)
    }
}
