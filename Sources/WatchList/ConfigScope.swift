/// A mapping of the config whose keys are checked, and how messages name it.
enum ConfigScope {
    case topLevel
    /// `kind` is `nil` when the set's own `type` is missing or wrong.
    case credentialSet(name: String, kind: CredentialSet.Kind?)
    case defaults
    /// `name` is `nil` when the cluster has no usable name.
    case cluster(name: String?)
    /// The `number`th item of `discover:`, counting from 1.
    case discoveryRule(number: Int)

    var allowedKeys: [String] {
        switch self {
        case .topLevel: ConfigKeys.topLevel
        case .credentialSet(_, let kind): kind.map(ConfigKeys.credentialSet) ?? ConfigKeys.anyCredentialSet
        case .defaults: ConfigKeys.defaults
        case .cluster: ConfigKeys.cluster
        case .discoveryRule: ConfigKeys.discoveryRule
        }
    }

    /// How a message names the mapping: `cluster "prod"`, `defaults`, ...
    var noun: String {
        switch self {
        case .topLevel: "the config"
        case .credentialSet(let name, _): "credential set \"\(name)\""
        case .defaults: "defaults"
        case .cluster(let name?): "cluster \"\(name)\""
        case .cluster(nil): "this cluster"
        case .discoveryRule(let number): "discover item \(number)"
        }
    }

    /// The message for a key not allowed here: where it belongs when it is a key of another
    /// mapping, else the closest allowed key, else the list of allowed keys.
    func unknownKeyMessage(_ key: String) -> String {
        let prefix = "unknown key \"\(key)\" in \(noun)"
        switch self {
        case .topLevel where ConfigKeys.defaults.contains(key):
            return "\(prefix); \"\(key)\" is a per-cluster key: put it under defaults: to apply it to every cluster"
        case .defaults where ConfigKeys.identifying.contains(key):
            return "\"\(key)\" cannot be a default: every cluster needs its own"
        case .defaults where ConfigKeys.anyCredentialSet.contains(key), .cluster where ConfigKeys.anyCredentialSet.contains(key):
            return "\(prefix); \"\(key)\" belongs in a credential set under credentials:"
        case .defaults where ConfigKeys.topLevel.contains(key), .cluster where ConfigKeys.topLevel.contains(key):
            return "\(prefix); \"\(key)\" belongs at the top level of the config"
        case .discoveryRule where ["region", "project_id", "project"].contains(key):
            return "\(prefix); a discover item lists \"regions\" and, optionally, \"projects\" by name"
        case .discoveryRule where key == "type":
            return
                "\(prefix); a discovered cluster's type follows its category: name Autopilot in \"categories\" to list Autopilot clusters"
        case .credentialSet(_, let kind?) where ConfigKeys.anyCredentialSet.contains(key):
            return "\(prefix); a credential set of type \(kind.rawValue) does not use it"
        default:
            if let suggestion = KeySuggestion.closest(to: key, among: allowedKeys) {
                return "\(prefix); did you mean \"\(suggestion)\"?"
            }
            return "\(prefix) (known keys: \(allowedKeys.joined(separator: ", ")))"
        }
    }
}
