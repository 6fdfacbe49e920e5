import CCESigning
import Foundation
import Testing
import WatchList

@testable import CCE

/// Secrets read from the config, environment variables and files; errors name the place, never the value.
@Suite struct CredentialResolverTests {
    @Test func accessKeyFromEnvironmentAndSecretKeyFromFileWithoutItsLineBreak() throws {
        let files = FakeFiles(["/run/sk": ("\(TestData.secretKey)\n", 0o600)])
        let resolution = try files.resolver(environment: ["MY_AK": TestData.accessKey])
            .resolve(.aksk(accessKey: .environment("MY_AK"), secretKey: .file("/run/sk"), securityToken: nil), named: "default")
        #expect(resolution.credential == .accessKey(TestData.accessKeyCredential))
        #expect(resolution.warnings.isEmpty)
        #expect(resolution.origin == "the watch-list config")
    }

    @Test func temporaryKeyCarriesItsSecurityToken() throws {
        let resolution = try FakeFiles(["/run/st": ("\(TestData.securityToken)\r\n", 0o400)]).resolver().resolve(
            .aksk(accessKey: .inline(TestData.accessKey), secretKey: .inline(TestData.secretKey), securityToken: .file("/run/st")),
            named: "temporary"
        )
        #expect(resolution.credential == .accessKey(TestData.temporaryCredential))
    }

    @Test(arguments: [0o644, 0o640, 0o604] as [UInt16])
    func secretFileOthersCanReadIsUsedWithAWarning(mode: UInt16) throws {
        let resolution = try FakeFiles(["/run/token": (TestData.token, mode)]).resolver().resolve(.token(.file("/run/token")), named: "t")
        #expect(resolution.credential == .token(TestData.token))
        #expect(resolution.warnings == [.readableByOthers(path: "/run/token", mode: mode)])
        #expect(resolution.warnings[0].description.contains("chmod 600"))
    }

    @Test func passwordKeepsUserDomainEndpointAndCAFile() throws {
        let endpoint = URL(string: "https://iam.cn-north-4.myhuaweicloud.com")
        let set = CredentialSet.password(
            user: "alice",
            domain: "acme",
            password: .environment("CCE_PASSWORD"),
            iamEndpoint: endpoint,
            caFile: "/etc/ca.pem"
        )
        let resolution = try FakeFiles().resolver(environment: ["CCE_PASSWORD": TestData.password]).resolve(set, named: "iam")
        #expect(
            resolution.credential
                == .password(
                    PasswordCredential(
                        user: "alice",
                        domain: "acme",
                        password: TestData.password,
                        iamEndpoint: endpoint,
                        caFile: "/etc/ca.pem"
                    )
                )
        )
    }

    @Test(arguments: [
        (CredentialSet.token(.environment("CCE_TOKEN")), #"credential set "s": the environment variable CCE_TOKEN is not set or empty"#),
        (.token(.file("/run/missing")), #"credential set "s": the file /run/missing does not exist"#),
        (.token(.file("/run/unreadable")), #"credential set "s": the file /run/unreadable cannot be read: Permission denied"#),
        (.token(.file("/run/blank")), #"credential set "s": the file /run/blank is empty"#),
        (
            .aksk(accessKey: .inline("AK"), secretKey: .environment("EMPTY_SK"), securityToken: nil),
            #"credential set "s": the environment variable EMPTY_SK is not set or empty"#
        ),
    ])
    func missingSecretIsNamedByItsPlace(set: CredentialSet, message: String) {
        let resolver = FakeFiles(["/run/blank": (" \n\n", 0o600)]).resolver(environment: ["EMPTY_SK": ""])
        let error = #expect(throws: CredentialError.self) { try resolver.resolve(set, named: "s") }
        #expect(error?.description == message)
    }

    @Test func descriptionsNeverShowResolvedSecrets() throws {
        let credentials: [ResolvedCredential] = [
            .accessKey(TestData.temporaryCredential),
            .token(TestData.token),
            .password(PasswordCredential(user: "alice", domain: "acme", password: TestData.password)),
        ]
        for credential in credentials {
            var text = "\(credential) \(String(reflecting: credential))"
            dump(credential, to: &text)
            for secret in TestData.secrets {
                #expect(!text.contains(secret), "\(text)")
            }
        }
    }

    @Test func realFileIsReadWithItsMode() throws {
        try TemporaryDirectory.with { directory in
            let path = try directory.write("\(TestData.token)\n", to: "token", mode: 0o640)
            let file = try #require(try SecretFile.read(path))
            #expect(file.mode == 0o640)
            #expect(file.bytes == Array("\(TestData.token)\n".utf8))
            #expect(try SecretFile.read(directory.path + "/absent") == nil)
            #expect(throws: SecretFileError.self) { try SecretFile.read(directory.path) }
        }
    }
}
