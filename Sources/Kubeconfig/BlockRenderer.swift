import YAML

/// How a file indents: what new block entries copy so they look like their neighbours.
struct BlockLayout: Sendable, Hashable {
    /// Columns between a key and the `-` of its list items: 0 as kubectl writes, often 2 by hand.
    var sequenceIndent: Int
    /// Columns between a key and the keys of its nested mapping.
    var mappingIndent: Int

    static let kubectl = BlockLayout(sequenceIndent: 0, mappingIndent: 2)
}

/// Writes nodes made in code as block-style YAML lines at a given column.
///
/// Written here rather than by libyaml because libyaml always writes lists flush under their
/// key, and a hand-indented file should get entries that match it. Scalars keep a plain style
/// only where plain text can hold them; anything else is double-quoted.
struct BlockRenderer {
    var layout: BlockLayout

    /// A list item (`- ...`) whose dash stands at `column`, ending in a line break.
    func sequenceItem(_ node: YAMLNode, column: Int) -> String {
        var output = ""
        appendItem(node, column: column, to: &output)
        return output
    }

    /// A top-level `key:` line and the list items under it.
    func section(_ key: String, items: [YAMLNode], keyColumn: Int) -> String {
        var output = "\(indent(keyColumn))\(key):\n"
        for item in items { appendItem(item, column: keyColumn + layout.sequenceIndent, to: &output) }
        return output
    }

    private func appendItem(_ node: YAMLNode, column: Int, to output: inout String) {
        let childColumn = column + 2
        switch node.content {
        case .mapping(let pairs, _) where !pairs.isEmpty:
            output += "\(indent(column))- "
            for (index, pair) in pairs.enumerated() {
                appendPair(pair, column: childColumn, inline: index == 0, to: &output)
            }
        default:
            output += "\(indent(column))- \(inline(node))\n"
        }
    }

    private func appendPair(_ pair: YAMLNode.Pair, column: Int, inline isInline: Bool, to output: inout String) {
        if !isInline { output += indent(column) }
        output += inline(pair.key) + ":"
        switch pair.value.content {
        case .mapping(let pairs, _) where !pairs.isEmpty:
            output += "\n"
            for child in pairs { appendPair(child, column: column + layout.mappingIndent, inline: false, to: &output) }
        case .sequence(let items, _) where !items.isEmpty:
            output += "\n"
            for item in items { appendItem(item, column: column + layout.sequenceIndent, to: &output) }
        default:
            output += " \(inline(pair.value))\n"
        }
    }

    /// A scalar, or an empty collection, on one line.
    private func inline(_ node: YAMLNode) -> String {
        switch node.content {
        case .scalar(let text, let style):
            style == .plain && PlainScalar.canBeWrittenPlain(text) ? text : DoubleQuoted.text(text)
        case .mapping: "{}"
        case .sequence: "[]"
        case .alias(let name): "*\(name)"
        }
    }

    private func indent(_ count: Int) -> String {
        String(repeating: " ", count: count)
    }
}
