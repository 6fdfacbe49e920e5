import Kubeconfig
import Testing
import WatchList

/// `credential_mode`, `output` and `kubeconfig_dir`: where each cluster's credential is written.
@Suite struct OutputSettingsTests {
    /// A config with `top` at the top level, `defaults` under defaults:, and two clusters, the second with `own`.
    private func config(top: String = "", defaults: String = "", own: String = "") -> String {
        """
        \(top)credentials:
          mine: {type: sdk}
        defaults:
          region: cn-north-4
        \(defaults)clusters:
          - name: prod
            project_id: \(TestConfig.projectID)
            cluster_id: \(TestConfig.clusterID)
          - name: dev
            project_id: \(TestConfig.projectID)
            cluster_id: \(TestConfig.clusterID)
        \(own)
        """
    }

    @Test func embedMergedIntoOneKubeconfigIsTheDefault() throws {
        let parsed = try TestConfig.parse(config())
        #expect(parsed.clusters.map(\.credentialMode) == [.embed, .embed])
        #expect(parsed.output == .merge)
        #expect(parsed.kubeconfigDirectory == "/home/alice/.kube/cce")
    }

    @Test func topLevelModeAppliesToEveryCluster() throws {
        let parsed = try TestConfig.parse(config(top: "credential_mode: exec\n"))
        #expect(parsed.clusters.map(\.credentialMode) == [.exec, .exec])
    }

    @Test func defaultsWinOverTheTopLevelAndAClusterWinsOverBoth() throws {
        let parsed = try TestConfig.parse(
            config(top: "credential_mode: embed\n", defaults: "  credential_mode: exec\n", own: "    credential_mode: embed\n")
        )
        #expect(parsed.clusters.map(\.credentialMode) == [.exec, .embed])
    }

    @Test func misspelledModeIsOneProblemAtItsValueWithASuggestion() {
        let problems = TestConfig.problems(config(own: "    credential_mode: exe\n"))
        #expect(
            problems == [ConfigProblem("\"credential_mode\" must be embed or exec, not \"exe\"; did you mean \"exec\"?", at: .at(12, 22))]
        )
    }

    @Test func filesOutputTakesItsDirectoryWithTildeExpanded() throws {
        let parsed = try TestConfig.parse(config(top: "output: files\nkubeconfig_dir: ~/kube.d\n"))
        #expect(parsed.output == .files)
        #expect(parsed.kubeconfigDirectory == "/home/alice/kube.d")
    }

    @Test func unknownOutputIsRefusedNamingBothChoices() {
        let problems = TestConfig.problems(config(top: "output: file\n"))
        #expect(problems == [ConfigProblem("\"output\" must be merge or files, not \"file\"; did you mean \"files\"?", at: .at(1, 9))])
    }
}
