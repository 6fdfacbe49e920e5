/// The key names of the watch-list config in one place: a public contract (issue 3, item 2).
enum ConfigKeys {
    static let topLevel =
        ["kubeconfig", "credentials", "defaults", "clusters", "discover", "cloud", "max_refresh", "request_timeout"] + output
    /// The top-level keys of where and how credentials are written (`credential_mode` is a cluster key too).
    static let output = ["credential_mode", "output", "kubeconfig_dir"]
    static let cluster = [
        "name", "cluster", "cluster_id", "project_id", "project", "region", "cloud", "credentials", "endpoints",
        "endpoint", "ca_file", "api", "type", "external_tls", "duration_days", "context_name", "namespace", "proxy_url", "credential_mode",
    ]
    /// Cluster keys that identify one cluster, so `defaults:` cannot hold them.
    static let identifying = ["name", "cluster", "cluster_id"]
    static let defaults = cluster.filter { !identifying.contains($0) }
    /// The keys of a `discover:` item: what to list, which clusters to keep, and the cluster keys
    /// that apply to every cluster found (not those that pick one project or product).
    static let discoveryRule =
        ["regions", "projects", "include", "exclude", "labels", "categories", "phases", "interval"]
        + defaults.filter { !["project_id", "project", "region", "type"].contains($0) }

    /// The secrets of a credential set, by base name; the first ones are required.
    static func secrets(of kind: CredentialSet.Kind) -> (required: [String], optional: [String]) {
        switch kind {
        case .aksk: (["access_key", "secret_key"], ["security_token"])
        case .token: (["token"], [])
        case .password: (["password"], [])
        case .sdk, .agency, .oidc, .metadata, .process: ([], [])
        }
    }

    /// The three spellings of one secret: inline, environment variable, file.
    static func forms(ofSecret name: String) -> [String] {
        [name, name + "_env", name + "_file"]
    }

    /// The keys a credential set of `kind` may hold.
    static func credentialSet(_ kind: CredentialSet.Kind) -> [String] {
        let secrets = Self.secrets(of: kind)
        let others: [String] =
            switch kind {
            case .password: ["user", "domain", "iam_endpoint", "ca_file"]
            case .agency:
                [
                    "source", "agency_name", "domain_name", "domain_id", "duration", "session_user", "api", "iam_endpoint", "sts_endpoint",
                    "ca_file",
                ]
            case .oidc: ["idp_id", "id_token_file", "project_id", "domain_id", "iam_endpoint", "ca_file"]
            case .metadata: ["endpoint"]
            case .process: ["command", "timeout"]
            case .aksk, .token, .sdk: []
            }
        return ["type"] + (secrets.required + secrets.optional).flatMap(forms(ofSecret:)) + others
    }

    /// The keys any credential set may hold, whatever its type.
    static let anyCredentialSet: [String] = CredentialSet.Kind.allCases.reduce(into: []) { keys, kind in
        keys += credentialSet(kind).filter { !keys.contains($0) }
    }
}
