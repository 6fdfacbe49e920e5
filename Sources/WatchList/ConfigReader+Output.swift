import Kubeconfig

extension ConfigReader {
    /// The top-level keys that say where and how credentials are written.
    struct OutputSettings {
        /// `credential_mode` at the top level: the default beneath `defaults:` and each cluster's own.
        var credentialMode: Setting<CredentialMode> = .absent
        var mode: Setting<OutputMode> = .absent
        var directory: Setting<String> = .absent
    }

    /// Reads `credential_mode`, `output` and `kubeconfig_dir` from the top level.
    mutating func outputSettings(_ top: Fields) -> OutputSettings {
        var settings = OutputSettings()
        if let field = top["credential_mode"] { settings.credentialMode = choice(field) }
        if let field = top["output"] { settings.mode = choice(field) }
        if let field = top["kubeconfig_dir"] { settings.directory = path(field) }
        return settings
    }
}
