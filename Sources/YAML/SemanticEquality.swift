extension YAMLNode {
    /// Whether two nodes mean the same to a reader, whatever their spelling.
    ///
    /// Styles, spans and the order of mapping keys do not count; for scalars what counts is
    /// the resolved type and the text, so `true` equals `True` is false (both bools but the text
    /// differs) while `"abc"` equals `abc`; plain nulls are equal however they are spelled (the
    /// emitter writes an empty one as `null` where libyaml cannot write it empty). This is how the merge decides that an entry it
    /// would write is already there, also after kubectl has re-sorted and re-quoted the file.
    package func hasSameValue(as other: YAMLNode) -> Bool {
        guard tag == other.tag else { return false }
        switch (content, other.content) {
        case (.scalar(let left, let leftStyle), .scalar(let right, let rightStyle)):
            // An explicit tag decides the type, so the style cannot: `!a` and `!a ''` are one value.
            if tag != nil { return left == right }
            let kind = Self.resolvedKind(left, leftStyle)
            guard kind == Self.resolvedKind(right, rightStyle) else { return false }
            // Every spelling of a null (``, `~`, `null`, `Null`, `NULL`) is the same null.
            return left == right || kind == .null

        case (.sequence(let left, _), .sequence(let right, _)):
            return left.count == right.count && zip(left, right).allSatisfy { $0.hasSameValue(as: $1) }
        case (.mapping(let left, _), .mapping(let right, _)):
            guard left.count == right.count else { return false }
            return left.allSatisfy { pair in
                right.contains { $0.key.hasSameValue(as: pair.key) && $0.value.hasSameValue(as: pair.value) }
            }
        case (.alias(let left), .alias(let right)):
            return left == right
        default:
            return false
        }
    }

    private static func resolvedKind(_ text: String, _ style: ScalarStyle) -> PlainScalar {
        style == .plain ? PlainScalar.resolve(text) : .string
    }
}
