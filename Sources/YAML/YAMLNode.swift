/// One node of a YAML document, in source order, with where it came from.
///
/// Mappings keep their pairs in order (a kubeconfig is edited in place, so order is
/// part of what must survive), scalars keep their style, and every parsed node
/// keeps its source span so that an edit can splice the original bytes instead of
/// re-emitting them.
package struct YAMLNode: Sendable, Hashable {
    /// What a node holds.
    package enum Content: Sendable, Hashable {
        case scalar(String, style: ScalarStyle)
        case sequence([YAMLNode], style: CollectionStyle)
        case mapping([Pair], style: CollectionStyle)
        /// `*name`: a reference to the node that carries the anchor `&name`.
        case alias(String)
    }

    /// A key and its value in a mapping.
    package struct Pair: Sendable, Hashable {
        package var key: YAMLNode
        package var value: YAMLNode

        package init(key: YAMLNode, value: YAMLNode) {
            self.key = key
            self.value = value
        }
    }

    package var content: Content
    /// An explicit tag written in the source (`!!str`, `!custom`), or `nil` when the tag is implicit.
    package var tag: String?
    /// The anchor (`&name`) set on this node, if any.
    package var anchor: String?
    /// Where the node stands in the parsed bytes; `nil` for nodes made in code.
    package var span: SourceSpan?

    package init(_ content: Content, tag: String? = nil, anchor: String? = nil, span: SourceSpan? = nil) {
        self.content = content
        self.tag = tag
        self.anchor = anchor
        self.span = span
    }
}

extension YAMLNode {
    /// A string scalar made in code, in the plainest style that reads back as the same string.
    ///
    /// libyaml writes a plain scalar even when it would read back as another type (`""` as null,
    /// `yes` as a bool), so new values are double-quoted whenever plain style would change them.
    package static func string(_ value: String) -> YAMLNode {
        YAMLNode(.scalar(value, style: PlainScalar.readsBackAsString(value) ? .plain : .doubleQuoted))
    }

    /// A boolean scalar (`true`/`false`) made in code.
    package static func bool(_ value: Bool) -> YAMLNode {
        YAMLNode(.scalar(value ? "true" : "false", style: .plain))
    }

    /// A block mapping made in code, keys in the given order.
    package static func mapping(_ pairs: KeyValuePairs<String, YAMLNode>, style: CollectionStyle = .block) -> YAMLNode {
        YAMLNode(.mapping(pairs.map { Pair(key: .string($0.key), value: $0.value) }, style: style))
    }

    /// A block sequence made in code.
    package static func sequence(_ items: [YAMLNode], style: CollectionStyle = .block) -> YAMLNode {
        YAMLNode(.sequence(items, style: style))
    }

    /// The text of a scalar, or `nil` for collections and aliases.
    package var scalarValue: String? {
        if case .scalar(let value, _) = content { return value }
        return nil
    }

    /// The items of a sequence, or `nil`.
    package var items: [YAMLNode]? {
        if case .sequence(let items, _) = content { return items }
        return nil
    }

    /// The pairs of a mapping, or `nil`.
    package var pairs: [Pair]? {
        if case .mapping(let pairs, _) = content { return pairs }
        return nil
    }

    /// The style of a collection, or `nil` for scalars and aliases.
    package var collectionStyle: CollectionStyle? {
        switch content {
        case .sequence(_, let style), .mapping(_, let style): style
        case .scalar, .alias: nil
        }
    }

    /// Whether this is a null: an empty plain scalar, `~` or `null` without an explicit tag.
    package var isNull: Bool {
        guard tag == nil, case .scalar(let value, .plain) = content else { return false }
        return PlainScalar.resolve(value) == .null
    }

    /// The value of the first pair whose key is the scalar `key`, in a mapping.
    package subscript(key: String) -> YAMLNode? {
        pair(forKey: key)?.value
    }

    /// The first pair whose key is the scalar `key`, in a mapping.
    package func pair(forKey key: String) -> Pair? {
        pairs?.first { $0.key.scalarValue == key }
    }
}

/// How a scalar is written.
package enum ScalarStyle: Sendable, Hashable {
    case plain
    case singleQuoted
    case doubleQuoted
    /// `|`
    case literal
    /// `>`
    case folded
}

/// How a sequence or mapping is written: indented lines, or brackets and braces (JSON is flow style).
package enum CollectionStyle: Sendable, Hashable {
    case block
    case flow
}
