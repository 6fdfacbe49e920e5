import CCESigning
import WatchList

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Reads the secrets of a credential set: from the config, environment variables and files, or
/// for `type: sdk` along the chain Huawei's SDKs use.
///
/// Pure apart from the file-reading closure, which tests replace. Resolve again before each
/// fetch: a rotated secret file or a renewed temporary key then takes effect without a reload.
package struct CredentialResolver: Sendable {
    /// The SDK's variables for the access key pair, its security token and project.
    package enum SDKVariable {
        package static let accessKey = "HUAWEICLOUD_SDK_AK"
        package static let secretKey = "HUAWEICLOUD_SDK_SK"
        package static let securityToken = "HUAWEICLOUD_SDK_SECURITY_TOKEN"
        package static let projectID = "HUAWEICLOUD_SDK_PROJECT_ID"
        /// Replaces the path of the credentials file.
        package static let credentialsFile = "HUAWEICLOUD_SDK_CREDENTIALS_FILE"
        /// Replace the default IAM and STS endpoints of agencies and OIDC federation.
        package static let iamEndpoint = "HUAWEICLOUD_SDK_IAM_ENDPOINT"
        package static let stsEndpoint = "HUAWEICLOUD_SDK_STS_ENDPOINT"
        /// OIDC federation: the identity provider's id and the file holding the id token.
        package static let idpID = "HUAWEICLOUD_SDK_IDP_ID"
        package static let idTokenFile = "HUAWEICLOUD_SDK_ID_TOKEN_FILE"
        /// The account id, which scopes a federated token when no project id is given.
        package static let domainID = "HUAWEICLOUD_SDK_DOMAIN_ID"
    }

    /// Where IAM and STS are asked when neither the set nor the SDK's variables name an endpoint:
    /// IAM's global endpoint, and STS in the first region of the SDK's table.
    package static let defaultIAMEndpoint = URL(string: "https://iam.myhuaweicloud.com")!
    package static let defaultSTSEndpoint = URL(string: "https://sts.cn-north-4.myhuaweicloud.com")!

    package var environment: [String: String]
    /// What `~` stands for in the SDK's and KooCLI's default paths.
    package var homeDirectory: String
    /// Reads a file; `nil` when it does not exist.
    package var readFile: @Sendable (String) throws(SecretFileError) -> SecretFile?

    package init(
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
    /// that group or others can read is used, with a warning. Sets that obtain temporary
    /// credentials resolve to the exchange that obtains them; an agency resolves its source
    /// from `sets`, the config's other sets, and so on down the chain.
    ///
    /// - Throws: ``CredentialError`` naming the set and the variable or file at fault.
    package func resolve(_ set: CredentialSet, named name: String, in sets: [String: CredentialSet] = [:]) throws(CredentialError)
        -> CredentialResolution
    {
        try resolve(set, named: name, in: sets, chain: [])
    }

    private func resolve(_ set: CredentialSet, named name: String, in sets: [String: CredentialSet], chain: [String])
        throws(CredentialError) -> CredentialResolution
    {
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
            case .agency(let agency):
                guard !chain.contains(agency.source), agency.source != name else { throw .agencyLoop(chain + [name, agency.source]) }
                guard let sourceSet = sets[agency.source] else { throw .unknownSource(agency.source) }
                let source: CredentialResolution
                do {
                    source = try resolve(sourceSet, named: agency.source, in: sets, chain: chain + [name])
                } catch {
                    throw .sourceFailed(error)
                }
                let variable = agency.api == .sts ? SDKVariable.stsEndpoint : SDKVariable.iamEndpoint
                let fallback = agency.api == .sts ? Self.defaultSTSEndpoint : Self.defaultIAMEndpoint
                let fromVariable = try endpointVariable(variable)
                let endpoint = agency.endpoint ?? fromVariable ?? fallback
                let exchange = CredentialExchange.agency(agency, endpoint: endpoint, sourceSet: agency.source, source: source.credential)
                return CredentialResolution(
                    credential: .exchanged(exchange),
                    origin: "credential set \"\(agency.source)\" through \(agency.agencyDescription)",
                    warnings: source.warnings
                )
            case .oidc(let oidc):
                let fromVariable = try endpointVariable(SDKVariable.iamEndpoint)
                let endpoint = oidc.iamEndpoint ?? fromVariable ?? Self.defaultIAMEndpoint
                return CredentialResolution(credential: .exchanged(.oidc(oidc, iamEndpoint: endpoint)), origin: Self.configOrigin)
            case .metadata(let endpoint):
                return CredentialResolution(
                    credential: .exchanged(.metadata(endpoint: endpoint ?? MetadataService.endpoint)),
                    origin: Self.configOrigin
                )
            case .process(let process):
                return CredentialResolution(credential: .exchanged(.process(process)), origin: Self.configOrigin)
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

    /// The endpoint an SDK variable names; the SDK takes one without a scheme as `https://`.
    func endpointVariable(_ name: String) throws(CredentialError.Problem) -> URL? {
        guard var text = environment[name].map({ String($0.trimmingWhitespace) }), !text.isEmpty else { return nil }
        if !text.contains("://") { text = "https://" + text }
        switch ServiceURL.parse(text) {
        case .success(let url): return url
        case .failure(let problem): throw .badVariable(name, reason: problem.description)
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
