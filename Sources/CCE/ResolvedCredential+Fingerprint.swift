import CCESigning

extension ResolvedCredential {
    /// A digest of everything the credential authenticates with (never the secrets themselves):
    /// equal fingerprints, the same credential.
    package var fingerprint: String {
        switch self {
        case .accessKey: SecretDigest.hex(["accessKey"] + secrets)
        case .token: SecretDigest.hex(["token"] + secrets)
        case .password(let credential): SecretDigest.hex(["password", credential.user, credential.domain] + secrets)
        }
    }
}
