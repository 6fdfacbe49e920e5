/// One parsed YAML document: its root node and the anchors defined in it.
package struct YAMLDocument: Sendable {
    /// The root node; `nil` when the text holds no document (empty, or only comments).
    package var root: YAMLNode?
    /// Every `&name` in the document, by name (a later anchor of the same name replaces an earlier one).
    package var anchors: [String: YAMLNode]
    /// Whether any alias (`*name`) occurs in the document.
    package var containsAliases: Bool
    /// Bytes skipped at the start of the input (a UTF-8 byte order mark), already counted in every span.
    package var leadingBytesSkipped: Int

    package init(root: YAMLNode?, anchors: [String: YAMLNode] = [:], containsAliases: Bool = false, leadingBytesSkipped: Int = 0) {
        self.root = root
        self.anchors = anchors
        self.containsAliases = containsAliases
        self.leadingBytesSkipped = leadingBytesSkipped
    }

    /// The node an alias stands for, or the node itself when it is not an alias.
    package func resolving(_ node: YAMLNode) -> YAMLNode {
        if case .alias(let name) = node.content, let target = anchors[name] {
            return target
        }
        return node
    }
}
