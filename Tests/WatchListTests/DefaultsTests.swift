import Testing
import WatchList
import YAML

/// `defaults:` and the choice of a cluster's credential set.
@Suite struct DefaultsTests {
    private let project = TestConfig.projectID

    @Test func defaultsApplyToEveryClusterThatDoesNotSetTheKey() throws {
        let config = try TestConfig.parse(
            """
            credentials: {default: {type: sdk}}
            defaults:
              project_id: \(project)
              region: cn-north-4
              api: get
              duration_days: 30
              endpoints: [internal]
            clusters:
              - name: a
                cluster_id: 4e7a9f1c-0000-11ee-8f3a-0255ac100b01
              - name: b
                cluster_id: 4e7a9f1c-0000-11ee-8f3a-0255ac100b02
                region: ap-southeast-1
                api: post
            """
        )
        #expect(config.clusters.map(\.projectID) == [project, project])
        #expect(config.clusters.map(\.region) == ["cn-north-4", "ap-southeast-1"])
        #expect(config.clusters.map(\.api) == [.get, .post])
        #expect(config.clusters.map(\.durationDays) == [30, 30])
        #expect(config.clusters.map(\.endpoints) == [["internal"], ["internal"]])
    }

    @Test func emptyValueInAClusterTakesTheDefault() throws {
        let config = try TestConfig.parse(
            """
            credentials: {default: {type: sdk}}
            defaults:
              region: cn-north-4
            clusters:
              - name: a
                project_id: \(project)
                cluster_id: \(TestConfig.clusterID)
                region:
            """
        )
        #expect(config.clusters.first?.region == "cn-north-4")
    }

    @Test(arguments: ["name", "cluster_id"])
    func identifyingKeysCannotBeDefaults(key: String) {
        let problems = TestConfig.problems("credentials: {default: {type: sdk}}\ndefaults:\n  \(key): x\nclusters: []\n")
        #expect(problems == [ConfigProblem("\"\(key)\" cannot be a default: every cluster needs its own", at: .at(3, 3))])
    }

    @Test func onlyCredentialSetIsUsedWhenAClusterNamesNone() throws {
        let config = try TestConfig.parse(clusterWithoutCredentials(sets: "  ops: {type: sdk}\n"))
        #expect(config.clusters.first?.credentials == "ops")
    }

    @Test func setNamedDefaultIsUsedWhenThereAreSeveral() throws {
        let config = try TestConfig.parse(clusterWithoutCredentials(sets: "  ops: {type: sdk}\n  default: {type: sdk}\n"))
        #expect(config.clusters.first?.credentials == "default")
    }

    @Test func severalSetsWithoutADefaultNeedAChoice() {
        let problems = TestConfig.problems(clusterWithoutCredentials(sets: "  ops: {type: sdk}\n  dev: {type: sdk}\n"))
        #expect(
            problems == [
                ConfigProblem(
                    "cluster \"prod\" does not say which credentials to use: set \"credentials\" to one of ops, dev, here or under defaults:, or name one set \"default\"",
                    at: .at(5, 5)
                )
            ]
        )
    }

    @Test func credentialsFromDefaultsAreUsed() throws {
        let config = try TestConfig.parse(
            """
            credentials:
              ops: {type: sdk}
              dev: {type: sdk}
            defaults:
              credentials: dev
            clusters:
              - name: prod
                project_id: \(project)
                cluster_id: \(TestConfig.clusterID)
                region: cn-north-4
            """
        )
        #expect(config.clusters.first?.credentials == "dev")
    }

    @Test func unknownCredentialSetIsReportedWithASuggestion() {
        let problems = TestConfig.problems(
            """
            credentials:
              default: {type: sdk}
              other: {type: sdk}
            clusters:
              - name: prod
                project_id: \(project)
                cluster_id: \(TestConfig.clusterID)
                region: cn-north-4
                credentials: defualt
            """
        )
        #expect(
            problems == [
                ConfigProblem(
                    "\"credentials\" names no set defined under credentials: (defined: default, other); did you mean \"default\"?",
                    at: .at(9, 18)
                )
            ]
        )
    }

    @Test func missingCredentialsAreReportedOnceNotPerCluster() {
        let problems = TestConfig.problems(
            """
            clusters:
              - name: a
                project_id: \(project)
                cluster_id: 4e7a9f1c-0000-11ee-8f3a-0255ac100b01
                region: cn-north-4
              - name: b
                project_id: \(project)
                cluster_id: 4e7a9f1c-0000-11ee-8f3a-0255ac100b02
                region: cn-north-4
            """
        )
        #expect(
            problems == [
                ConfigProblem(
                    "\"credentials\" is missing; every cluster needs a credential set, the simplest being credentials: {default: {type: sdk}}",
                    at: nil
                )
            ]
        )
    }

    @Test func clusterNamingABrokenSetIsNotAlsoToldTheSetIsUnknown() {
        let problems = TestConfig.problems(
            """
            credentials:
              broken: {type: token}
              other: {type: sdk}
            clusters:
              - name: prod
                project_id: \(project)
                cluster_id: \(TestConfig.clusterID)
                region: cn-north-4
                credentials: broken
            """
        )
        #expect(problems == [ConfigProblem("credential set \"broken\" needs token, token_env or token_file", at: .at(2, 3))])
    }

    @Test func credentialSetWithoutTypeIsReported() {
        let problems = TestConfig.problems("credentials:\n  default:\n    token_env: TOKEN\nclusters: []\n")
        #expect(
            problems == [
                ConfigProblem(
                    "credential set \"default\" needs a type: aksk, token, password, sdk, agency, oidc, metadata or process",
                    at: .at(2, 3)
                )
            ]
        )
    }

    @Test func passwordSetNeedsUserAndDomain() {
        let problems = TestConfig.problems("credentials:\n  iam:\n    type: password\n    password_env: PW\nclusters: []\n")
        #expect(
            problems == [
                ConfigProblem("credential set \"iam\" needs \"user\"", at: .at(2, 3)),
                ConfigProblem("credential set \"iam\" needs \"domain\"", at: .at(2, 3)),
            ]
        )
    }

    @Test func temporaryAccessKeysCarryTheirSecurityToken() throws {
        let config = try TestConfig.parse(
            """
            credentials:
              temporary:
                type: aksk
                access_key_env: HUAWEICLOUD_SDK_AK
                secret_key_env: HUAWEICLOUD_SDK_SK
                security_token_file: /run/user/1000/sts
            clusters: []
            """
        )
        #expect(
            config.credentials["temporary"]
                == .aksk(
                    accessKey: .environment("HUAWEICLOUD_SDK_AK"),
                    secretKey: .environment("HUAWEICLOUD_SDK_SK"),
                    securityToken: .file("/run/user/1000/sts")
                )
        )
    }

    private func clusterWithoutCredentials(sets: String) -> String {
        """
        credentials:
        \(sets)clusters:
          - name: prod
            project_id: \(project)
            cluster_id: \(TestConfig.clusterID)
            region: cn-north-4
        """
    }
}
