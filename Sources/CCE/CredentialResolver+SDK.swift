import CCESigning
import WatchList

extension CredentialResolver {
    /// The default path of the SDK credentials file.
    package var sdkCredentialsPath: String {
        environment[SDKVariable.credentialsFile]?.nonEmpty ?? homeDirectory + "/.huaweicloud/credentials"
    }

    /// The KooCLI config.
    package var kooCLIConfigPath: String {
        homeDirectory + "/.hcloud/config.json"
    }

    /// `type: sdk`, in the order of Huawei's SDKs: the SDK variables (an OIDC identity provider
    /// and id token file first, then an access key pair), the SDK credentials file's `[basic]`
    /// section (the same two, in the same order), the current KooCLI profile (`AKSK`, or
    /// `ecsAgency`, which reads the metadata service), and last the ECS metadata service. Once a
    /// source exists it must be complete: a half-set pair is an error rather than a silent
    /// fall-through to other keys.
    func sdkChain() throws(CredentialError.Problem) -> CredentialResolution {
        if let federation = try sdkFederationVariables() {
            return CredentialResolution(
                credential: .exchanged(federation),
                origin: "environment variables \(SDKVariable.idpID) and \(SDKVariable.idTokenFile)"
            )
        }
        if let fromEnvironment = try sdkVariables() {
            let origin = "environment variables \(SDKVariable.accessKey) and \(SDKVariable.secretKey)"
            return CredentialResolution(credential: .accessKey(fromEnvironment), origin: origin)
        }
        let credentialsPath = sdkCredentialsPath
        if let file = try read(credentialsPath) {
            var warnings: [CredentialWarning] = []
            if file.mode & 0o044 != 0 {
                warnings.append(.readableByOthers(path: credentialsPath, mode: file.mode))
            }
            if let credential = try credentialsFile(file, path: credentialsPath) {
                return CredentialResolution(
                    credential: credential,
                    origin: "[\(SDKCredentialsFile.basicSection)] of \(credentialsPath)",
                    warnings: warnings
                )
            }
        }
        let kooPath = kooCLIConfigPath
        if let file = try read(kooPath) {
            do throws(KooCLIProblem) {
                let warnings: [CredentialWarning] = file.mode & 0o044 != 0 ? [.readableByOthers(path: kooPath, mode: file.mode)] : []
                let origin = "the current KooCLI profile in \(kooPath)"
                switch try KooCLIConfig.credential(from: file.bytes) {
                case .accessKey(let credential):
                    return CredentialResolution(credential: .accessKey(credential), origin: origin, warnings: warnings)
                case .ecsAgency:
                    return CredentialResolution(
                        credential: .exchanged(.metadata(endpoint: MetadataService.endpoint)),
                        origin: origin,
                        warnings: warnings
                    )
                }
            } catch {
                throw .kooCLI(path: kooPath, reason: error.reason)
            }
        }
        // The SDK's last link: on an ECS with an agency attached, its temporary keys. Elsewhere
        // the exchange fails within seconds, and its sentence says where else was looked.
        let searched = ["environment variables \(SDKVariable.accessKey) and \(SDKVariable.secretKey)", credentialsPath, kooPath]
        return CredentialResolution(
            credential: .exchanged(.metadata(endpoint: MetadataService.endpoint, searchedFirst: searched)),
            origin: "the ECS metadata service"
        )
    }

    /// OIDC federation from the SDK variables; `nil` when neither variable is set.
    private func sdkFederationVariables() throws(CredentialError.Problem) -> CredentialExchange? {
        let idpID = environment[SDKVariable.idpID]?.nonEmpty
        let tokenFile = environment[SDKVariable.idTokenFile]?.nonEmpty
        switch (idpID, tokenFile) {
        case (nil, nil):
            return nil
        case (.some, nil):
            throw .incompleteVariables(present: SDKVariable.idpID, missing: SDKVariable.idTokenFile)
        case (nil, .some):
            throw .incompleteVariables(present: SDKVariable.idTokenFile, missing: SDKVariable.idpID)
        case (let idpID?, let tokenFile?):
            let scope: OIDCSet.Scope
            if let projectID = environment[SDKVariable.projectID]?.nonEmpty {
                scope = .project(id: projectID)
            } else if let domainID = environment[SDKVariable.domainID]?.nonEmpty {
                scope = .domain(id: domainID)
            } else {
                throw .incompleteVariables(present: SDKVariable.idpID, missing: "\(SDKVariable.projectID) or \(SDKVariable.domainID)")
            }
            let fromVariable = try endpointVariable(SDKVariable.iamEndpoint)
            let endpoint = fromVariable ?? Self.defaultIAMEndpoint
            return .oidc(OIDCSet(idpID: idpID, idTokenFile: tokenFile, scope: scope), iamEndpoint: endpoint)
        }
    }

    /// The key pair in the SDK variables; `nil` when neither half is set.
    private func sdkVariables() throws(CredentialError.Problem) -> AccessKeyCredential? {
        let accessKey = environment[SDKVariable.accessKey]?.nonEmpty
        let secretKey = environment[SDKVariable.secretKey]?.nonEmpty
        switch (accessKey, secretKey) {
        case (nil, nil):
            return nil
        case (.some, nil):
            throw .incompleteVariables(present: SDKVariable.accessKey, missing: SDKVariable.secretKey)
        case (nil, .some):
            throw .incompleteVariables(present: SDKVariable.secretKey, missing: SDKVariable.accessKey)
        case (let accessKey?, let secretKey?):
            return AccessKeyCredential(
                accessKey: accessKey,
                secretKey: secretKey,
                securityToken: environment[SDKVariable.securityToken]?.nonEmpty,
                projectID: environment[SDKVariable.projectID]?.nonEmpty
            )
        }
    }

    /// The `[basic]` credentials of the credentials file: OIDC federation (`idp_id` and
    /// `id_token_file`, scoped to its `project_id`) first, as the SDK reads them, else the key
    /// pair; `nil` when the file has no such section.
    private func credentialsFile(_ file: SecretFile, path: String) throws(CredentialError.Problem) -> ResolvedCredential? {
        guard let text = String(validating: file.bytes, as: UTF8.self) else { throw .notText("file \(path)") }
        let parsed: SDKCredentialsFile
        do throws(CredentialFileProblem) {
            parsed = try SDKCredentialsFile(parsing: text)
        } catch {
            throw .credentialsFile(path: path, reason: "is malformed: \(error)")
        }
        guard let basic = parsed.sections[SDKCredentialsFile.basicSection] else { return nil }
        if let idpID = basic["idp_id"]?.nonEmpty, let tokenFile = basic["id_token_file"]?.nonEmpty {
            guard let projectID = basic["project_id"]?.nonEmpty else {
                throw .credentialsFile(
                    path: path,
                    reason: "has idp_id and id_token_file in [basic] without the project_id the federated token is scoped to"
                )
            }
            let fromVariable = try endpointVariable(SDKVariable.iamEndpoint)
            var endpoint = fromVariable ?? Self.defaultIAMEndpoint
            if let text = basic["iam_endpoint"]?.nonEmpty {
                guard case .success(let url) = ServiceURL.parse(text.contains("://") ? text : "https://" + text) else {
                    throw .credentialsFile(path: path, reason: "has an iam_endpoint that is not an https:// URL")
                }
                endpoint = url
            }
            return .exchanged(.oidc(OIDCSet(idpID: idpID, idTokenFile: tokenFile, scope: .project(id: projectID)), iamEndpoint: endpoint))
        }
        guard let accessKey = basic["ak"]?.nonEmpty, let secretKey = basic["sk"]?.nonEmpty else {
            throw .credentialsFile(path: path, reason: "has a [basic] section without both ak and sk")
        }
        return .accessKey(
            AccessKeyCredential(
                accessKey: accessKey,
                secretKey: secretKey,
                securityToken: basic["security_token"]?.nonEmpty,
                projectID: basic["project_id"]?.nonEmpty
            )
        )
    }
}
