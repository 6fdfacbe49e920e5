import CCESigning
import WatchList

/// Reads the secrets of a credential set: from the config, environment variables and files, or
/// for `type: sdk` along the chain Huawei's SDKs use.
///
/// Pure apart from the file-reading closure, which tests replace. Resolve again before each
/// fetch: a rotated secret file or a renewed temporary key then takes effect without a reload.
public struct CredentialResolver: Sendable {
    /// The SDK's variables for the access key pair, its security token and project.
    public enum SDKVariable {
        public static let accessKey = "HUAWEICLOUD_SDK_AK"
        public static let secretKey = "HUAWEICLOUD_SDK_SK"
        public static let securityToken = "HUAWEICLOUD_SDK_SECURITY_TOKEN"
        public static let projectID = "HUAWEICLOUD_SDK_PROJECT_ID"
        /// Replaces the path of the credentials file.
        public static let credentialsFile = "HUAWEICLOUD_SDK_CREDENTIALS_FILE"
    }

    public var environment: [String: String]
    /// What `~` stands for in the SDK's and KooCLI's default paths.
    public var homeDirectory: String
    /// Reads a file; `nil` when it does not exist.
    public var readFile: @Sendable (String) throws(SecretFileError) -> SecretFile?

    public init(
        environment: [String: String],
        homeDirectory: String,
        readFile: @escaping @Sendable (String) throws(SecretFileError) -> SecretFile? = SecretFile.read
    ) {
        self.environment = environment
        self.homeDirectory = homeDirectory
        self.readFile = readFile
    }

    /// Resolves the set called `name`.
    ///
    /// A file's trailing line break is dropped (the usual `echo secret > file`). A secret file
    /// that group or others can read is used, with a warning.
    ///
    /// - Throws: ``CredentialError`` naming the set and the variable or file at fault.
    package func resolve(_ set: CredentialSet, named name: String) throws(CredentialError) -> CredentialResolution {
        var warnings: [CredentialWarning] = []
        do throws(CredentialError.Problem) {
            switch set {
            case .aksk(let accessKey, let secretKey, let securityToken):
                var credential = AccessKeyCredential(
                    accessKey: try secret(accessKey, warnings: &warnings),
                    secretKey: try secret(secretKey, warnings: &warnings)
                )
                if let securityToken {
                    credential.securityToken = try secret(securityToken, warnings: &warnings)
                }
                return CredentialResolution(credential: .accessKey(credential), origin: Self.configOrigin, warnings: warnings)
            case .token(let source):
                let token = try secret(source, warnings: &warnings)
                return CredentialResolution(credential: .token(token), origin: Self.configOrigin, warnings: warnings)
            case .password(let user, let domain, let password, let iamEndpoint, let caFile):
                let credential = PasswordCredential(
                    user: user,
                    domain: domain,
                    password: try secret(password, warnings: &warnings),
                    iamEndpoint: iamEndpoint,
                    caFile: caFile
                )
                return CredentialResolution(credential: .password(credential), origin: Self.configOrigin, warnings: warnings)
            case .sdk:
                return try sdkChain()
            }
        } catch {
            throw CredentialError(credentialSet: name, problem: error)
        }
    }

    private static let configOrigin = "the watch-list config"

    /// The value of one secret.
    private func secret(_ source: SecretSource, warnings: inout [CredentialWarning]) throws(CredentialError.Problem) -> String {
        switch source {
        case .inline(let value):
            return value
        case .environment(let name):
            guard let value = environment[name].map(Self.droppingLineBreaks), !value.isEmpty else {
                throw .missingVariable(name)
            }
            return value
        case .file(let path):
            guard let file = try read(path) else { throw .missingFile(path) }
            if file.mode & 0o044 != 0 {
                warnings.append(.readableByOthers(path: path, mode: file.mode))
            }
            guard let text = String(validating: file.bytes, as: UTF8.self) else { throw .notText("file \(path)") }
            let value = Self.droppingLineBreaks(text)
            guard !value.trimmingWhitespace.isEmpty else { throw .emptyFile(path) }
            return value
        }
    }

    /// `readFile`, its failure named after the file.
    func read(_ path: String) throws(CredentialError.Problem) -> SecretFile? {
        do {
            return try readFile(path)
        } catch {
            throw .unreadableFile(path, reason: error.reason)
        }
    }

    /// `text` without trailing line breaks (`\n`, `\r\n`, which Swift counts as one character, or `\r`).
    private static func droppingLineBreaks(_ text: String) -> String {
        var text = Substring(text)
        while text.last?.isNewline == true { text = text.dropLast() }
        return String(text)
    }
}
