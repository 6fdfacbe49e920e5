/// A position in a text, as a person counts it: 1-based line and column.
///
/// Columns count characters, not bytes, so that `12:5` points where an editor does.
package struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    package var line: Int
    package var column: Int

    package init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    package var description: String { "\(line):\(column)" }
}

/// Where a node stands in the parsed input.
package struct SourceSpan: Sendable, Hashable {
    /// Byte offsets into the input (UTF-8), whatever the characters before it.
    ///
    /// For a block collection the end is where libyaml closes it: the start of the next
    /// token, which may lie after blank lines and comments. ``YAMLNode/contentEnd`` gives
    /// the end of the last character that belongs to the node.
    package var bytes: Range<Int>
    /// Where the node starts, for messages.
    package var start: SourceLocation

    package init(bytes: Range<Int>, start: SourceLocation) {
        self.bytes = bytes
        self.start = start
    }
}

extension YAMLNode {
    /// The byte offset just past the node's own last character, or `nil` for a node made in code.
    ///
    /// Unlike `span.bytes.upperBound`, this never reaches into comments or blank lines that
    /// follow a block collection: it is the end of the last scalar, alias or flow collection inside.
    package var contentEnd: Int? {
        var node = self
        while node.collectionStyle == .block {
            let last: YAMLNode? =
                switch node.content {
                case .sequence(let items, _): items.last
                case .mapping(let pairs, _): pairs.last?.value
                case .scalar, .alias: nil
                }
            guard let last else { break }
            node = last
        }
        return node.span?.bytes.upperBound
    }
}
