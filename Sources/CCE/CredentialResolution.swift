/// A resolved credential set, where it was found, and what the operator should know about it.
package struct CredentialResolution: Sendable, Hashable {
    package var credential: ResolvedCredential
    /// Where the secrets came from, for a log line: `the watch-list config`, `environment variables
    /// HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK`, a file, a KooCLI profile.
    package var origin: String
    /// Problems that do not stop the credential from working, such as a secret file others can read.
    package var warnings: [CredentialWarning]

    package init(credential: ResolvedCredential, origin: String, warnings: [CredentialWarning] = []) {
        self.credential = credential
        self.origin = origin
        self.warnings = warnings
    }
}
