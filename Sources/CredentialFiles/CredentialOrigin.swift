import CredentialRecord

/// What a certificate about to be stored was fetched for, and the files and environment
/// variables that could point its watch name elsewhere (the watch list, a file or a variable
/// holding the access key id): the credential record keeps them, so that neither the plugin nor
/// the full binary hands the certificate to a name that now means another cluster or identity.
package struct CredentialOrigin: Sendable, Hashable {
    /// `nil` when not known (a certificate imported from a CCE answer, without a watch list).
    package var identity: CertificateIdentity?
    /// Absolute paths whose change sends the next `credential` call to the full check.
    package var inputs: [String]
    /// The variables the key id is read from, as the process that resolved it saw them.
    package var variables: [VariableFingerprint]

    /// Nothing known: what `import` writes, having no watch list.
    package static let unknown = CredentialOrigin(identity: nil, inputs: [])

    package init(identity: CertificateIdentity?, inputs: [String], variables: [VariableFingerprint] = []) {
        self.identity = identity
        self.inputs = inputs
        self.variables = variables
    }

    /// The identity of a certificate for `clusterID` in `projectID` at `endpoint`, asked for with
    /// the credential set whose key id is `keyID` (`nil` when it cannot be resolved here).
    package init(
        clusterID: String,
        projectID: String,
        endpoint: String,
        keyID: String?,
        inputs: [String],
        variables: [VariableFingerprint] = []
    ) {
        self.init(
            identity: CertificateIdentity(
                clusterID: clusterID,
                projectID: projectID,
                endpoint: endpoint,
                keyIDDigest: keyID.map { SHA256Digest.hex(Array($0.utf8)) }
            ),
            inputs: inputs,
            variables: variables
        )
    }

    /// The identity `recorded` holds (none when `nil`) with the inputs and variables of
    /// `current`: what a record is stamped with after the full check found that nothing
    /// contradicts it.
    package init(keeping recorded: CredentialOrigin?, checkedAgainst current: CredentialOrigin) {
        self.init(identity: recorded?.identity, inputs: current.inputs, variables: current.variables)
    }

    /// Whether a certificate fetched for `stored` must not be handed out for this origin.
    package func contradicts(storedFor stored: CredentialOrigin?) -> Bool {
        guard let mine = identity, let theirs = stored?.identity else { return false }
        return mine.contradicts(theirs)
    }
}
