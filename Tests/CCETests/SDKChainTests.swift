import CCESigning
import Foundation
import Testing
import WatchList

@testable import CCE

/// `type: sdk`: the SDK variables, then `~/.huaweicloud/credentials`, then a plain KooCLI profile.
@Suite struct SDKChainTests {
    private let credentialsPath = "/home/alice/.huaweicloud/credentials"
    private let kooPath = "/home/alice/.hcloud/config.json"

    private var credentialsFile: String {
        """
        # written by hand
        [global]
        ak = GLOBALKEYNOTFORCCE00
        sk = globalSecretNotForCCE

        [basic]
        ak = \(TestData.accessKey)
        SK: "\(TestData.secretKey)"
        project_id = \(TestData.projectID)
        """
    }

    private func kooConfig(encrypted: String? = nil, mode: String = "AKSK", accessKey: String = TestData.accessKey) -> String {
        let marker = encrypted.map { #""authEncrypt": "\#($0)","# } ?? ""
        return """
            {"crypter": "x", "nonce": "y", \(marker) "current": "work",
             "profiles": [
               {"name": "default", "mode": "AKSK", "accessKeyId": "OTHERKEY000000000000", "secretAccessKey": "other"},
               {"name": "work", "mode": "\(mode)", "accessKeyId": "\(accessKey)", "secretAccessKey": "\(TestData.secretKey)",
                "securityToken": "", "region": "cn-north-4", "projectId": "\(TestData.projectID)"}
             ]}
            """
    }

    private func resolve(_ files: FakeFiles, _ environment: [String: String] = [:]) throws(CredentialError) -> CredentialResolution {
        try files.resolver(environment: environment).resolve(.sdk, named: "sdk")
    }

    private func failure(_ files: FakeFiles, _ environment: [String: String] = [:]) -> CredentialError? {
        #expect(throws: CredentialError.self) { try resolve(files, environment) }
    }

    @Test func environmentVariablesComeFirst() throws {
        let files = FakeFiles([credentialsPath: (credentialsFile, 0o600)])
        let resolution = try resolve(
            files,
            [
                "HUAWEICLOUD_SDK_AK": TestData.accessKey, "HUAWEICLOUD_SDK_SK": TestData.secretKey,
                "HUAWEICLOUD_SDK_SECURITY_TOKEN": TestData.securityToken, "HUAWEICLOUD_SDK_PROJECT_ID": TestData.projectID,
            ]
        )
        var expected = TestData.temporaryCredential
        expected.projectID = TestData.projectID
        #expect(resolution.credential == .accessKey(expected))
        #expect(resolution.origin == "environment variables HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK")
        #expect(files.readPaths.isEmpty)
    }

    @Test func halfAKeyPairInTheEnvironmentIsAnError() {
        let error = failure(FakeFiles([credentialsPath: (credentialsFile, 0o600)]), ["HUAWEICLOUD_SDK_AK": TestData.accessKey])
        #expect(
            error?.description == #"credential set "sdk": HUAWEICLOUD_SDK_AK is set but HUAWEICLOUD_SDK_SK is not; set both or neither"#
        )
    }

    @Test func credentialsFileBasicSectionIsNext() throws {
        let resolution = try resolve(FakeFiles([credentialsPath: (credentialsFile, 0o600)]))
        #expect(
            resolution.credential
                == .accessKey(
                    AccessKeyCredential(accessKey: TestData.accessKey, secretKey: TestData.secretKey, projectID: TestData.projectID)
                )
        )
        #expect(resolution.origin == "[basic] of \(credentialsPath)")
        #expect(resolution.warnings.isEmpty)
    }

    @Test func credentialsFileOthersCanReadIsUsedWithAWarning() throws {
        let resolution = try resolve(FakeFiles([credentialsPath: (credentialsFile, 0o644)]))
        #expect(resolution.warnings == [.readableByOthers(path: credentialsPath, mode: 0o644)])
    }

    @Test func credentialsFilePathFollowsTheSDKVariable() throws {
        let resolution = try resolve(
            FakeFiles(["/etc/hw/creds": (credentialsFile, 0o600)]),
            ["HUAWEICLOUD_SDK_CREDENTIALS_FILE": "/etc/hw/creds"]
        )
        #expect(resolution.origin == "[basic] of /etc/hw/creds")
    }

    @Test func credentialsFileWithoutBasicFallsThroughToKooCLI() throws {
        let files = FakeFiles([credentialsPath: ("[global]\nak = X\nsk = Y\n", 0o600), kooPath: (kooConfig(), 0o600)])
        let resolution = try resolve(files)
        #expect(
            resolution.credential
                == .accessKey(
                    AccessKeyCredential(accessKey: TestData.accessKey, secretKey: TestData.secretKey, projectID: TestData.projectID)
                )
        )
        #expect(resolution.origin == "the current KooCLI profile in \(kooPath)")
    }

    @Test func incompleteBasicSectionIsAnError() {
        let error = failure(FakeFiles([credentialsPath: ("[basic]\nak = \(TestData.accessKey)\n", 0o600)]))
        #expect(
            error?.description
                == #"credential set "sdk": the SDK credentials file \#(credentialsPath) has a [basic] section without both ak and sk"#
        )
    }

    @Test func malformedCredentialsFileNamesTheLineButNotItsText() {
        let error = failure(FakeFiles([credentialsPath: ("[basic]\nak = A\n\(TestData.secretKey)\n", 0o600)]))
        #expect(error?.description.contains("line 3 is neither a [section], a key = value pair nor a comment") == true)
        #expect(error?.description.contains(TestData.secretKey) == false)
    }

    @Test(arguments: ["true", "false"])
    func encryptedKooCLIProfileSaysHowToProceed(marker: String) {
        // Unmarked files count as encrypted when the key is not plain letters and digits.
        let files = FakeFiles([
            kooPath: (kooConfig(encrypted: marker, accessKey: marker == "true" ? TestData.accessKey : "c2VjcmV0+Y2lwaGVy/dGV4dA=="), 0o600)
        ])
        let error = failure(files)
        #expect(error?.description.contains(#"stores the keys of profile "work" encrypted"#) == true)
        #expect(error?.description.contains("hcloud configure set --cli-auth-encrypt=false") == true)
        #expect(error?.description.contains(TestData.accessKey) == false)
    }

    @Test func kooCLIProfileInAnotherModeIsRefused() {
        let error = failure(FakeFiles([kooPath: (kooConfig(mode: "SSO"), 0o600)]))
        #expect(error?.description.contains(#"profile "work" uses mode "SSO", but only AKSK and ecsAgency profiles can be read"#) == true)
    }

    @Test func kooCLIProfileWithASecurityTokenIsATemporaryKey() throws {
        let config = kooConfig().replacingOccurrences(of: #""securityToken": """#, with: #""securityToken": "\#(TestData.securityToken)""#)
        let resolution = try resolve(FakeFiles([kooPath: (config, 0o600)]))
        #expect(
            resolution.credential
                == .accessKey(
                    AccessKeyCredential(
                        accessKey: TestData.accessKey,
                        secretKey: TestData.secretKey,
                        securityToken: TestData.securityToken,
                        projectID: TestData.projectID
                    )
                )
        )
    }

    @Test func kooCLIEcsAgencyProfileReadsTheMetadataService() throws {
        let resolution = try resolve(FakeFiles([kooPath: (kooConfig(mode: "ecsAgency"), 0o600)]))
        #expect(resolution.credential == .exchanged(.metadata(endpoint: MetadataService.endpoint)))
    }

    @Test func oidcVariablesComeBeforeTheKeyPair() throws {
        let resolution = try resolve(
            FakeFiles(),
            [
                "HUAWEICLOUD_SDK_IDP_ID": "github", "HUAWEICLOUD_SDK_ID_TOKEN_FILE": "/run/id-token",
                "HUAWEICLOUD_SDK_PROJECT_ID": TestData.projectID, "HUAWEICLOUD_SDK_IAM_ENDPOINT": "iam.example.com",
                "HUAWEICLOUD_SDK_AK": TestData.accessKey, "HUAWEICLOUD_SDK_SK": TestData.secretKey,
            ]
        )
        let oidc = OIDCSet(idpID: "github", idTokenFile: "/run/id-token", scope: .project(id: TestData.projectID))
        #expect(resolution.credential == .exchanged(.oidc(oidc, iamEndpoint: URL(string: "https://iam.example.com")!)))
    }

    @Test func oidcVariablesWithoutAScopeAreAnError() {
        let error = failure(FakeFiles(), ["HUAWEICLOUD_SDK_IDP_ID": "github", "HUAWEICLOUD_SDK_ID_TOKEN_FILE": "/run/id-token"])
        #expect(
            error?.description
                == #"credential set "sdk": HUAWEICLOUD_SDK_IDP_ID is set but HUAWEICLOUD_SDK_PROJECT_ID or HUAWEICLOUD_SDK_DOMAIN_ID is not; set both or neither"#
        )
    }

    @Test func credentialsFileFederationComesBeforeItsKeyPair() throws {
        let file =
            "[basic]\nak = \(TestData.accessKey)\nsk = \(TestData.secretKey)\nidp_id = github\nid_token_file = /run/id-token\nproject_id = \(TestData.projectID)\n"
        let resolution = try resolve(FakeFiles([credentialsPath: (file, 0o600)]))
        let oidc = OIDCSet(idpID: "github", idTokenFile: "/run/id-token", scope: .project(id: TestData.projectID))
        #expect(resolution.credential == .exchanged(.oidc(oidc, iamEndpoint: CredentialResolver.defaultIAMEndpoint)))
    }

    @Test func nothingElseLeavesTheMetadataServiceLast() throws {
        let resolution = try resolve(FakeFiles())
        let searched = ["environment variables HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK", credentialsPath, kooPath]
        #expect(resolution.credential == .exchanged(.metadata(endpoint: MetadataService.endpoint, searchedFirst: searched)))
    }
}

/// The SDK's INI format, read as `configparser` reads it.
@Suite struct SDKCredentialsFileTests {
    @Test func sectionsKeysCommentsAndQuotes() throws {
        let file = try SDKCredentialsFile(
            parsing: """
                ; comment
                [basic]
                AK = 'quoted'
                  sk:plain value  \r
                # another comment
                [global]
                domain_id = d
                """
        )
        #expect(file.sections == ["basic": ["ak": "quoted", "sk": "plain value"], "global": ["domain_id": "d"]])
    }

    @Test(arguments: [
        ("ak = x\n", "line 1 holds a key before any [section]"),
        ("[basic]\nak = x\nAK = y\n", "line 3 repeats the key ak in [basic]"),
        ("[basic]\n[basic]\n", "line 2 repeats the section [basic]"),
        ("[basic\n", "line 1 is not a [section] header"),
        ("[basic]\n= x\n", "line 2 has no key before its = sign"),
    ])
    func malformedLinesAreNamed(text: String, problem: String) {
        let error = #expect(throws: CredentialFileProblem.self) { try SDKCredentialsFile(parsing: text) }
        #expect(error?.description == problem)
    }
}
