import YAML

/// The pairs of one mapping of the config, looked up by key, aliases resolved.
struct Fields {
    /// One key and its value.
    struct Field {
        var name: String
        var key: YAMLNode
        var value: YAMLNode

        var keyLocation: SourceLocation? { key.span?.start }
        /// Where the value starts; the key's place for a value libyaml gives no span (an empty one).
        var valueLocation: SourceLocation? { value.span?.start ?? key.span?.start }
    }

    /// The mapping itself, for problems that concern it as a whole.
    var node: YAMLNode
    /// Every pair with a string key, in source order.
    var all: [Field]

    /// The field `name`, unless missing or null: a null value counts as not given, so that
    /// `region:` left empty in a cluster still takes the default.
    subscript(name: String) -> Field? {
        all.first { $0.name == name && !$0.value.isNull }
    }

    var location: SourceLocation? { node.span?.start }
}
