import CCESigning

extension ResolvedCredential {
    /// A digest of everything the credential authenticates with (never the secrets themselves):
    /// equal fingerprints, the same credential.
    package var fingerprint: String {
        switch self {
        case .accessKey: SecretDigest.hex(["accessKey"] + secrets)
        case .token: SecretDigest.hex(["token"] + secrets)
        case .password(let credential): SecretDigest.hex(["password", credential.user, credential.domain] + secrets)
        case .exchanged(let exchange): SecretDigest.hex(["exchanged"] + exchange.identity)
        }
    }
}

extension CredentialExchange {
    /// What tells one exchange from another: the agency and its source's fingerprint, the
    /// identity provider and token file, the metadata address, the command.
    var identity: [String] {
        switch self {
        case .agency(let agency, let endpoint, _, let source):
            ["agency", agency.agencyName, "\(agency.account)", agency.api.rawValue, endpoint.absoluteString, source.fingerprint]
        case .oidc(let oidc, let iamEndpoint):
            ["oidc", oidc.idpID, oidc.idTokenFile, "\(oidc.scope)", iamEndpoint.absoluteString]
        case .metadata(let endpoint, _):
            ["metadata", endpoint.absoluteString]
        case .process(let process):
            ["process"] + process.command
        }
    }
}
