/// Why a credential set could not be resolved: which set, and what is missing or wrong.
///
/// Messages name environment variables, files and KooCLI profiles, never a value read from them.
package struct CredentialError: Error, Sendable, Hashable, CustomStringConvertible {
    package enum Problem: Error, Sendable, Hashable {
        /// The environment variable is not set, or empty.
        case missingVariable(String)
        /// The file does not exist.
        case missingFile(String)
        /// The file exists but cannot be read.
        case unreadableFile(String, reason: String)
        /// The file holds nothing but white space.
        case emptyFile(String)
        /// The secret is not UTF-8 text.
        case notText(String)
        /// Only one half of an access key pair is in the environment.
        case incompleteVariables(present: String, missing: String)
        /// The SDK credentials file is malformed, or its `[basic]` section lacks a key.
        case credentialsFile(path: String, reason: String)
        /// The KooCLI config cannot be used.
        case kooCLI(path: String, reason: String)
        /// An environment variable holds something unusable.
        case badVariable(String, reason: String)
        /// An agency's source is not a set of the config.
        case unknownSource(String)
        /// Following agencies' sources leads back to a set of the chain.
        case agencyLoop([String])
        /// An agency's source could not be resolved.
        indirect case sourceFailed(CredentialError)
    }

    /// The name of the credential set in the config.
    package var credentialSet: String
    package var problem: Problem

    package init(credentialSet: String, problem: Problem) {
        self.credentialSet = credentialSet
        self.problem = problem
    }

    package var description: String {
        let what: String =
            switch problem {
            case .missingVariable(let name):
                "the environment variable \(name) is not set or empty"
            case .missingFile(let path):
                "the file \(path) does not exist"
            case .unreadableFile(let path, let reason):
                "the file \(path) cannot be read: \(reason)"
            case .emptyFile(let path):
                "the file \(path) is empty"
            case .notText(let source):
                "the secret in \(source) is not UTF-8 text"
            case .incompleteVariables(let present, let missing):
                "\(present) is set but \(missing) is not; set both or neither"
            case .credentialsFile(let path, let reason):
                "the SDK credentials file \(path) \(reason)"
            case .kooCLI(let path, let reason):
                "the KooCLI config \(path) \(reason)"
            case .badVariable(let name, let reason):
                "the environment variable \(name) \(reason)"
            case .unknownSource(let source):
                "its source \"\(source)\" is not a credential set of the config"
            case .sourceFailed(let error):
                "its source failed: \(error)"
            case .agencyLoop(let chain):
                "its agencies form a loop: \(chain.map { "\"\($0)\"" }.joined(separator: " → "))"
            }
        return "credential set \"\(credentialSet)\": \(what)"
    }
}
