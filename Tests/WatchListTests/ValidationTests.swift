import Testing
import WatchList
import YAML

/// Each class of problem `check-config` must catch, with the place it points at.
@Suite struct ValidationTests {
    private let project = TestConfig.projectID
    private let cluster = TestConfig.clusterID

    @Test func unknownKeyIsReportedWithLineAndColumnAndSuggestion() {
        let problems = TestConfig.problems(
            """
            credentials:
              default: {type: sdk}
            clusters:
              - name: prod
                projct_id: \(project)
                cluster_id: \(cluster)
                region: cn-north-4
            """
        )
        #expect(
            problems == [
                ConfigProblem("unknown key \"projct_id\" in cluster \"prod\"; did you mean \"project_id\"?", at: .at(5, 5))
            ]
        )
    }

    @Test(arguments: [
        ("clustres: []", "did you mean \"clusters\"?"),
        ("max-refresh: 1h", "did you mean \"max_refresh\"?"),
        (
            "theme: dark",
            "(known keys: kubeconfig, credentials, defaults, clusters, discover, cloud, max_refresh, request_timeout, credential_mode, output, kubeconfig_dir)"
        ),
        ("region: cn-north-4", "\"region\" is a per-cluster key: put it under defaults: to apply it to every cluster"),
    ])
    func unknownTopLevelKeyIsExplained(line: String, explanation: String) {
        let problems = TestConfig.problems("credentials: {default: {type: sdk}}\nclusters: []\n\(line)\n")
        let problem = problems.first { $0.location == .at(3, 1) }
        #expect(problem?.message.hasSuffix(explanation) == true, "\(problems)")
    }

    @Test func keyOfAnotherPlaceSaysWhereItBelongs() {
        let problems = TestConfig.problems(
            """
            credentials:
              default:
                type: aksk
                access_key_env: AK
                secret_key_env: SK
                password_env: PASSWORD
            clusters:
              - name: prod
                project_id: \(project)
                cluster_id: \(cluster)
                region: cn-north-4
                access_key_env: AK
                max_refresh: 1h
            """
        )
        #expect(
            problems == [
                ConfigProblem(
                    "unknown key \"password_env\" in credential set \"default\"; a credential set of type aksk does not use it",
                    at: .at(6, 5)
                ),
                ConfigProblem(
                    "unknown key \"access_key_env\" in cluster \"prod\"; \"access_key_env\" belongs in a credential set under credentials:",
                    at: .at(12, 5)
                ),
                ConfigProblem(
                    "unknown key \"max_refresh\" in cluster \"prod\"; \"max_refresh\" belongs at the top level of the config",
                    at: .at(13, 5)
                ),
            ]
        )
    }

    @Test func wrongTypesAreReportedWhereTheValueStarts() {
        let problems = TestConfig.problems(
            """
            credentials:
              - type: sdk
            defaults:
              project_id: [\(project)]
            clusters:
              prod:
                region: cn-north-4
            """
        )
        #expect(
            problems == [
                ConfigProblem("\"credentials\" must be a mapping, not a list", at: .at(2, 3)),
                ConfigProblem("\"project_id\" must be a single value, not a list", at: .at(4, 15)),
                ConfigProblem("\"clusters\" must be a list, not a mapping", at: .at(6, 3)),
            ]
        )
    }

    @Test func clusterThatIsNotAMappingIsReported() {
        let problems = TestConfig.problems("credentials: {default: {type: sdk}}\nclusters:\n  - prod\n")
        #expect(problems == [ConfigProblem("each item of \"clusters\" must be a mapping, not a single value", at: .at(3, 5))])
    }

    @Test func duplicateClusterNameIsReportedAtTheSecondWithTheFirst() {
        let problems = TestConfig.problems(
            """
            credentials: {default: {type: sdk}}
            clusters:
              - name: prod
                project_id: \(project)
                cluster_id: \(cluster)
                region: cn-north-4
              - name: prod
                project_id: \(project)
                cluster_id: 4e7a9f1c-0000-11ee-8f3a-0255ac100b04
                region: cn-north-4
            """
        )
        #expect(problems == [ConfigProblem("cluster name \"prod\" is used twice (first at 3:11)", at: .at(7, 11))])
    }

    @Test(arguments: ["Prod", "prod-", "-prod", "pr od", "prod/1", "\"\""])
    func invalidWatchNameIsReported(name: String) {
        let problems = TestConfig.problems(
            """
            credentials: {default: {type: sdk}}
            clusters:
              - name: \(name)
                project_id: \(project)
                cluster_id: \(cluster)
                region: cn-north-4
            """
        )
        #expect(problems.count == 1, "\(problems)")
        #expect(problems.first?.location == .at(3, 11))
        #expect(problems.first?.message.contains("is not a valid watch name") == true)
    }

    @Test(arguments: [
        ("0123456789abcdef", "found 16 characters"),
        ("0123456789ABCDEF0123456789ABCDEF", "found a character that is not 0-9 or a-f"),
        ("0123456789abcdef0123456789abcdeg", "found a character that is not 0-9 or a-f"),
    ])
    func projectIDThatIsNot32HexDigitsIsReported(projectID: String, found: String) {
        let problems = TestConfig.problems(
            """
            credentials: {default: {type: sdk}}
            clusters:
              - name: prod
                project_id: \(projectID)
                cluster_id: \(cluster)
                region: cn-north-4
            """
        )
        #expect(problems == [ConfigProblem("\"project_id\" must be 32 lowercase hexadecimal digits (\(found))", at: .at(4, 17))])
    }

    @Test(arguments: [
        "4e7a9f1c00000-11ee-8f3a-0255ac100b03",
        "4E7A9F1C-0000-11EE-8F3A-0255AC100B03",
        "4e7a9f1c-0000-11ee-8f3a-0255ac100b0",
        "{4e7a9f1c-0000-11ee-8f3a-0255ac100b03}",
    ])
    func clusterIDThatIsNotAUUIDIsReported(clusterID: String) {
        let problems = TestConfig.problems(
            """
            credentials: {default: {type: sdk}}
            clusters:
              - name: prod
                project_id: \(project)
                cluster_id: "\(clusterID)"
                region: cn-north-4
            """
        )
        #expect(
            problems == [
                ConfigProblem(
                    "\"cluster_id\" must be a UUID in lowercase hexadecimal, such as 4e7a9f1c-0000-11ee-8f3a-0255ac100b03",
                    at: .at(5, 17)
                )
            ]
        )
    }

    @Test func missingRequiredKeysAreReportedAtTheCluster() {
        let problems = TestConfig.problems(
            """
            credentials: {default: {type: sdk}}
            clusters:
              - api: get
            """
        )
        #expect(
            problems == [
                ConfigProblem("this cluster needs \"cluster\" (its name in the console) or \"cluster_id\"", at: .at(3, 5)),
                ConfigProblem("this cluster needs a \"region\" (or an \"endpoint\"), here or under defaults:", at: .at(3, 5)),
            ]
        )
    }

    @Test func regionIsNotRequiredWhenAnEndpointIsSet() throws {
        let config = try TestConfig.parse(
            """
            credentials: {default: {type: sdk}}
            clusters:
              - name: prod
                project_id: \(project)
                cluster_id: \(cluster)
                endpoint: https://127.0.0.1:8443
            """
        )
        #expect(config.clusters.first?.region == nil)
    }

    @Test func invalidRegionIsReportedButNotAlsoAsMissing() {
        let problems = TestConfig.problems(
            """
            credentials: {default: {type: sdk}}
            clusters:
              - name: prod
                project_id: \(project)
                cluster_id: \(cluster)
                region: CN_North_4
            """
        )
        #expect(problems == [ConfigProblem("\"region\" must be a region id such as cn-north-4", at: .at(6, 13))])
    }

    @Test(arguments: [
        ("0", true), ("1828", true), ("-2", true), ("7d", true), ("\"7\"", true), ("1.5", true),
        ("1", false), ("1827", false), ("-1", false),
    ])
    func durationDaysMustBeFrom1To1827OrMinus1(value: String, isProblem: Bool) {
        let problems = TestConfig.problems(
            """
            credentials: {default: {type: sdk}}
            clusters:
              - name: prod
                project_id: \(project)
                cluster_id: \(cluster)
                region: cn-north-4
                duration_days: \(value)
            """
        )
        let expected = ConfigProblem(
            "\"duration_days\" must be a whole number of days from 1 to 1827, or -1 (the longest CCE allows)",
            at: .at(7, 20)
        )
        #expect(problems == (isProblem ? [expected] : []))
    }

    @Test func unknownEnumeratedValuesAreReportedWithSuggestions() {
        let problems = TestConfig.problems(
            """
            credentials: {default: {type: sdk}}
            clusters:
              - name: prod
                project_id: \(project)
                cluster_id: \(cluster)
                region: cn-north-4
                api: pots
                type: autopliot
                external_tls: verfy
                endpoints: [internal, publc]
            """
        )
        #expect(
            problems == [
                ConfigProblem("\"api\" must be post or get, not \"pots\"; did you mean \"post\"?", at: .at(7, 10)),
                ConfigProblem("\"type\" must be cce or autopilot, not \"autopliot\"; did you mean \"autopilot\"?", at: .at(8, 11)),
                ConfigProblem("\"external_tls\" must be insecure or verify, not \"verfy\"; did you mean \"verify\"?", at: .at(9, 19)),
                ConfigProblem("unknown endpoint \"publc\" in \"endpoints\"; the endpoints are internal or external", at: .at(10, 27)),
            ]
        )
    }

    @Test func emptyEndpointListIsReported() {
        let problems = TestConfig.problems(
            """
            credentials: {default: {type: sdk}}
            defaults:
              endpoints: []
            clusters: []
            """
        )
        #expect(problems.map(\.location) == [.at(3, 14)])
        #expect(problems.first?.message.hasPrefix("\"endpoints\" is empty, so nothing would be written") == true)
    }

    @Test func unknownCredentialTypeIsReported() {
        let problems = TestConfig.problems(
            """
            credentials:
              default:
                type: akskk
            clusters: []
            """
        )
        #expect(
            problems == [
                ConfigProblem(
                    "\"type\" must be aksk, token, password, sdk, agency, oidc, metadata or process, not \"akskk\"; did you mean \"aksk\"?",
                    at: .at(3, 11)
                )
            ]
        )
    }

    @Test func yamlSyntaxErrorIsReportedWithItsLocation() {
        let problems = TestConfig.problems("credentials: {default: {type: sdk}}\nclusters:\n  - name: [prod\n")
        #expect(problems.count == 1)
        #expect(problems.first?.location?.line == 4, "\(problems)")
    }

    @Test func repeatedKeyIsReportedAtTheSecond() {
        let problems = TestConfig.problems("credentials: {default: {type: sdk}}\nclusters: []\nclusters: []\n")
        #expect(problems == [ConfigProblem("key \"clusters\" appears twice in one mapping (first at 2:1)", at: .at(3, 1))])
    }

    @Test(arguments: ["", "# only a comment\n", "~\n"])
    func fileWithoutConfigurationIsAProblem(text: String) {
        let problems = TestConfig.problems(text)
        #expect(problems == [ConfigProblem("the file holds no configuration; it needs at least credentials: and clusters:", at: nil)])
    }

    @Test func missingClusterListIsAProblem() {
        let problems = TestConfig.problems("credentials: {default: {type: sdk}}\n")
        #expect(problems == [ConfigProblem("\"clusters\" is missing; write clusters: [] to watch no cluster", at: nil)])
    }

    @Test func discoveryRulesNeedNoClusterList() throws {
        let config = try TestConfig.parse("credentials: {default: {type: sdk}}\ndiscover:\n  - {regions: [cn-north-4]}\n")
        #expect(config.clusters.isEmpty)
        #expect(config.discovery.count == 1)
    }

    @Test func topLevelThatIsNotAMappingIsReported() {
        let problems = TestConfig.problems("- name: prod\n")
        #expect(problems == [ConfigProblem("the config must be a mapping, not a list", at: .at(1, 1))])
    }

    @Test(arguments: ["30s", "86400", "1 day", "-1h", "h", "99999999999999999999h", "999999999999999d"])
    func badMaxRefreshIsReported(value: String) {
        let problems = TestConfig.problems("credentials: {default: {type: sdk}}\nclusters: []\nmax_refresh: \(value)\n")
        #expect(problems.map(\.location) == [.at(3, 14)])
        #expect(problems.first?.message.hasPrefix("\"max_refresh\" must be") == true)
    }

    @Test(arguments: ["0s", "11m", "fast", "-5s"])
    func badRequestTimeoutIsReported(value: String) {
        let problems = TestConfig.problems("credentials: {default: {type: sdk}}\nclusters: []\nrequest_timeout: \(value)\n")
        #expect(problems == [ConfigProblem("\"request_timeout\" must be a duration from 1s to 10m, such as 30s", at: .at(3, 18))])
    }

    @Test func pathStartingWithAnotherUsersHomeIsReported() {
        let problems = TestConfig.problems("kubeconfig: ~bob/.kube/config\ncredentials: {default: {type: sdk}}\nclusters: []\n")
        #expect(
            problems == [
                ConfigProblem("\"kubeconfig\" starts with ~name, which is not expanded; write ~/ or the full path", at: .at(1, 13))
            ]
        )
    }

    @Test func severalProblemsAreAllReportedInSourceOrder() {
        let problems = TestConfig.problems(
            """
            credentials:
              default:
                type: token
            clusters:
              - name: prod
                project_id: 0123
                cluster_id: \(cluster)
                region: cn-north-4
                api: put
              - name: Test
                project_id: \(project)
                cluster_id: nope
                endpoint: http://cce.example.com
            max_refresh: soon
            """
        )
        #expect(
            problems.map(\.location) == [.at(2, 3), .at(6, 17), .at(9, 10), .at(10, 11), .at(12, 17), .at(13, 15), .at(14, 14)],
            "\(problems)"
        )
    }

    @Test func problemInDefaultsIsReportedOnceWhereItIsWritten() {
        let problems = TestConfig.problems(
            """
            credentials: {default: {type: sdk}}
            defaults:
              region: cn-north-4
              api: pots
            clusters:
              - name: a
                project_id: \(project)
                cluster_id: \(cluster)
              - name: b
                project_id: \(project)
                cluster_id: 4e7a9f1c-0000-11ee-8f3a-0255ac100b04
            """
        )
        #expect(problems == [ConfigProblem("\"api\" must be post or get, not \"pots\"; did you mean \"post\"?", at: .at(4, 8))])
    }

    @Test func problemsArePrintedAsPathLineColumnMessage() throws {
        let error = try #require(throws: ConfigProblems.self) {
            try TestConfig.parse("credentials: {default: {type: sdk}}\nclusters: []\ntheme: dark\n", path: "config.yaml")
        }
        #expect(
            error.description
                == "config.yaml:3:1: unknown key \"theme\" in the config (known keys: kubeconfig, credentials, defaults, clusters, discover, cloud, max_refresh, request_timeout, credential_mode, output, kubeconfig_dir)"
        )
        let placeless = ConfigProblems(path: "config.yaml", problems: [ConfigProblem("the file holds no configuration", at: nil)])
        #expect(placeless.description == "config.yaml: the file holds no configuration")
    }
}
