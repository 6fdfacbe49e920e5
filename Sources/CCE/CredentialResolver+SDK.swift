import CCESigning

extension CredentialResolver {
    /// The default path of the SDK credentials file.
    var sdkCredentialsPath: String {
        environment[SDKVariable.credentialsFile]?.nonEmpty ?? homeDirectory + "/.huaweicloud/credentials"
    }

    /// The KooCLI config.
    var kooCLIConfigPath: String {
        homeDirectory + "/.hcloud/config.json"
    }

    /// `type: sdk`: the first of the SDK variables, the SDK credentials file's `[basic]` section
    /// and the current KooCLI profile that exists. Once a source exists it must be complete: a
    /// half-set pair is an error rather than a silent fall-through to other keys.
    func sdkChain() throws(CredentialError.Problem) -> CredentialResolution {
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
                    credential: .accessKey(credential),
                    origin: "[\(SDKCredentialsFile.basicSection)] of \(credentialsPath)",
                    warnings: warnings
                )
            }
        }
        let kooPath = kooCLIConfigPath
        if let file = try read(kooPath) {
            do throws(KooCLIProblem) {
                let credential = try KooCLIConfig.accessKey(from: file.bytes)
                let warnings: [CredentialWarning] = file.mode & 0o044 != 0 ? [.readableByOthers(path: kooPath, mode: file.mode)] : []
                return CredentialResolution(credential: .accessKey(credential), origin: "the current KooCLI profile in \(kooPath)", warnings: warnings)
            } catch {
                throw .kooCLI(path: kooPath, reason: error.reason)
            }
        }
        throw .nothingFound(searched: [
            "environment variables \(SDKVariable.accessKey) and \(SDKVariable.secretKey)",
            credentialsPath,
            kooPath,
        ])
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

    /// The `[basic]` key pair of the credentials file; `nil` when the file has no such section.
    private func credentialsFile(_ file: SecretFile, path: String) throws(CredentialError.Problem) -> AccessKeyCredential? {
        guard let text = String(validating: file.bytes, as: UTF8.self) else { throw .notText("file \(path)") }
        let parsed: SDKCredentialsFile
        do throws(CredentialFileProblem) {
            parsed = try SDKCredentialsFile(parsing: text)
        } catch {
            throw .credentialsFile(path: path, reason: "is malformed: \(error)")
        }
        guard let basic = parsed.sections[SDKCredentialsFile.basicSection] else { return nil }
        guard let accessKey = basic["ak"]?.nonEmpty, let secretKey = basic["sk"]?.nonEmpty else {
            throw .credentialsFile(path: path, reason: "has a [basic] section without both ak and sk")
        }
        return AccessKeyCredential(
            accessKey: accessKey,
            secretKey: secretKey,
            securityToken: basic["security_token"]?.nonEmpty,
            projectID: basic["project_id"]?.nonEmpty
        )
    }
}
