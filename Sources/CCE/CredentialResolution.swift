/// A resolved credential set, where it was found, and what the operator should know about it.
public struct CredentialResolution: Sendable, Hashable {
    public var credential: ResolvedCredential
    /// Where the secrets came from, for a log line: `the watch-list config`, `environment variables
    /// HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK`, a file, a KooCLI profile.
    public var origin: String
    /// Problems that do not stop the credential from working, such as a secret file others can read.
    public var warnings: [CredentialWarning]

    public init(credential: ResolvedCredential, origin: String, warnings: [CredentialWarning] = []) {
        self.credential = credential
        self.origin = origin
        self.warnings = warnings
    }
}
