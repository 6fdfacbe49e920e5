import WatchList
import YAML

/// Parsing helpers for the tests: a config text in, the model or its problems out.
enum TestConfig {
    static let path = "/home/alice/.config/cce-kubeconfigd/config.yaml"
    static let home = "/home/alice"
    static let projectID = "0123456789abcdef0123456789abcdef"
    static let clusterID = "4e7a9f1c-0000-11ee-8f3a-0255ac100b03"

    /// A watch list with every kind of credential set and most cluster keys, as first specified.
    static let issueExample = """
        kubeconfig: ~/.kube/config          # optional; default: as kubectl chooses
        credentials:                        # named credential sets
          default:
            type: aksk                      # aksk | token | password | sdk
            access_key_env: HUAWEICLOUD_SDK_AK    # each secret as X, X_env or X_file
            secret_key_file: ~/.config/cce-kubeconfigd/sk
            # security_token(_env|_file) for temporary keys
          iam:
            type: password
            user: alice
            domain: my-account
            password_env: CCE_PASSWORD
            iam_endpoint: https://iam.cn-north-4.myhuaweicloud.com   # optional
            ca_file: /path/extra-ca.pem       # optional, for iam_endpoint
          token-file:
            type: token
            token_file: /run/user/1000/cce-token
        defaults:                           # any per-cluster key
          region: cn-north-4
          duration_days: 1
        clusters:
          - name: prod                      # the watch name N
            project_id: 0123456789abcdef0123456789abcdef
            cluster_id: 4e7a9f1c-0000-11ee-8f3a-0255ac100b03
            credentials: default            # default: the only set, or the one named default
            endpoints: [internal, external] # which contexts to write
            endpoint: https://cce.cn-north-4.myhuaweicloud.com   # optional override
            ca_file: /path/extra-ca.pem     # optional
            api: post                       # post | get
            type: cce                       # cce | autopilot
            external_tls: insecure          # insecure | verify
        """

    static func parse(_ text: String, mode: UInt16 = 0o600, path: String = path) throws(ConfigProblems) -> WatchListConfig {
        try WatchListConfig.parse(Array(text.utf8), path: path, fileMode: mode, homeDirectory: home)
    }

    /// The problems of a config that must not parse; none when it does (the test then fails on them).
    static func problems(_ text: String, mode: UInt16 = 0o600) -> [ConfigProblem] {
        do {
            _ = try parse(text, mode: mode)
            return []
        } catch {
            return error.problems
        }
    }
}

extension SourceLocation {
    /// `at(3, 5)`: line 3, column 5.
    static func at(_ line: Int, _ column: Int) -> SourceLocation {
        SourceLocation(line: line, column: column)
    }
}
