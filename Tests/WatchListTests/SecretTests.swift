import Testing
import WatchList
import YAML

/// Secrets: one form each, inline only in a private file, and never in a message or description.
@Suite struct SecretTests {
    static let accessKey = "HPUAXAMPLEACCESSKEY9"
    static let secretKey = "s3cr3tK3yVa1ueThatMustNeverBePrinted00"
    static let password = "Correct-Horse-Battery-Staple"

    private let inlineKeys = """
        credentials:
          default:
            type: aksk
            access_key: \(accessKey)
            secret_key: \(secretKey)
        clusters: []
        """

    @Test(arguments: [0o644, 0o640, 0o604, 0o664] as [UInt16])
    func inlineSecretInAFileOthersCanReadIsReported(mode: UInt16) {
        let problems = TestConfig.problems(inlineKeys, mode: mode)
        #expect(problems.map(\.location) == [.at(4, 5), .at(5, 5)])
        let octal = String(mode, radix: 8)
        #expect(
            problems.first?.message
                == "\"access_key\" is a secret written inline in a file that others can read (mode \(octal)); use access_key_file or access_key_env, or make the file private (chmod 600)"
        )
    }

    @Test(arguments: [0o600, 0o400, 0o700, 0o620] as [UInt16])
    func inlineSecretInAPrivateFileIsAccepted(mode: UInt16) throws {
        let config = try TestConfig.parse(inlineKeys, mode: mode)
        #expect(
            config.credentials["default"]
                == .aksk(accessKey: .inline(Self.accessKey), secretKey: .inline(Self.secretKey), securityToken: nil)
        )
    }

    @Test func secretReferencesAreFineInAFileOthersCanRead() throws {
        let config = try TestConfig.parse(
            """
            credentials:
              default:
                type: token
                token_env: CCE_TOKEN
            clusters: []
            """,
            mode: 0o644
        )
        #expect(config.credentials["default"] == .token(.environment("CCE_TOKEN")))
    }

    @Test func twoFormsOfOneSecretAreReported() {
        let problems = TestConfig.problems(
            """
            credentials:
              default:
                type: aksk
                access_key_env: HUAWEICLOUD_SDK_AK
                secret_key: \(Self.secretKey)
                secret_key_file: ~/sk
                secret_key_env: SK
            clusters: []
            """
        )
        #expect(
            problems == [
                ConfigProblem("\"secret_key\" and \"secret_key_file\" both give secret_key; keep exactly one", at: .at(6, 5)),
                ConfigProblem("\"secret_key\" and \"secret_key_env\" both give secret_key; keep exactly one", at: .at(7, 5)),
            ]
        )
    }

    @Test func missingSecretIsReportedAtTheSet() {
        let problems = TestConfig.problems("credentials:\n  default:\n    type: aksk\n    access_key_env: AK\nclusters: []\n")
        #expect(
            problems == [ConfigProblem("credential set \"default\" needs secret_key, secret_key_env or secret_key_file", at: .at(2, 3))]
        )
    }

    @Test func noSecretAppearsInAnyProblemMessage() {
        let problems = TestConfig.problems(
            """
            credentials:
              default:
                type: aksk
                access_key: \(Self.accessKey)
                secret_key: [\(Self.secretKey)]
              pasted:
                type: aksk
                access_key_env: \(Self.secretKey)-\(Self.accessKey)
                secret_key_file: ~\(Self.secretKey)
              iam:
                type: password
                user: alice
                domain: example
                password: \(Self.password)
                password_env: \(Self.password)
            clusters:
              - name: prod
                project_id: \(Self.secretKey)
                cluster_id: \(Self.accessKey)
                credentials: \(Self.password)
                region: cn-north-4
            """,
            mode: 0o644
        )
        #expect(problems.count >= 7, "\(problems)")
        for problem in problems {
            for secret in [Self.accessKey, Self.secretKey, Self.password] {
                #expect(!problem.message.contains(secret.prefix(8)), "\(problem)")
            }
        }
    }

    @Test func descriptionsAndMirrorsNeverShowAnInlineSecret() throws {
        let config = try TestConfig.parse(
            """
            credentials:
              default:
                type: aksk
                access_key: \(Self.accessKey)
                secret_key: \(Self.secretKey)
                security_token: \(Self.password)
              iam:
                type: password
                user: alice
                domain: example
                password: \(Self.password)
            clusters: []
            """
        )
        var dumped = ""
        dump(config, to: &dumped)
        let renderings = [String(describing: config), String(reflecting: config), dumped, "\(config.credentials)"]
        for rendering in renderings {
            for secret in [Self.accessKey, Self.secretKey, Self.password] {
                #expect(!rendering.contains(secret), "\(rendering)")
            }
        }
        #expect(String(describing: SecretSource.inline(Self.secretKey)) == "inline (redacted)")
        #expect(String(describing: SecretSource.environment("HUAWEICLOUD_SDK_SK")) == "environment variable HUAWEICLOUD_SDK_SK")
    }
}
