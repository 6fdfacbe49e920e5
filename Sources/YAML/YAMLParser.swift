import CLibYAML

/// Reads YAML text into a ``YAMLDocument`` with libyaml's event parser.
///
/// All libyaml state lives inside ``parse(_:maxDepth:)`` and is released before it returns;
/// what comes out is a plain `Sendable` value tree. The tree is built with an explicit
/// stack, never by recursion, and `maxDepth` bounds it because libyaml itself does not.
package enum YAMLParser {
    /// The deepest nesting accepted by default. A kubeconfig needs fewer than ten levels.
    package static let defaultMaxDepth = 64

    /// Parses text that holds at most one document.
    ///
    /// - Throws: ``YAMLError`` for text that is not UTF-8, not YAML, holds several documents,
    ///   nests deeper than `maxDepth`, repeats a key in a mapping, or uses an undefined alias.
    package static func parse(_ bytes: [UInt8], maxDepth: Int = defaultMaxDepth) throws(YAMLError) -> YAMLDocument {
        let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]
        let skipped = bytes.starts(with: byteOrderMark) ? byteOrderMark.count : 0
        return try bytes.withUnsafeBufferPointer { (whole) throws(YAMLError) in
            let text = UnsafeBufferPointer(rebasing: whole[skipped...])
            let offsets = try CharacterOffsets(validating: text)
            guard let base = text.baseAddress, !text.isEmpty else {
                return YAMLDocument(root: nil, leadingBytesSkipped: skipped)
            }
            var builder = TreeBuilder(offsets: offsets, byteBase: skipped, maxDepth: maxDepth)
            try builder.run(base, count: text.count)
            return YAMLDocument(
                root: builder.root,
                anchors: builder.anchors,
                containsAliases: builder.containsAliases,
                leadingBytesSkipped: skipped
            )
        }
    }
}

/// Turns libyaml events into nodes.
private struct TreeBuilder {
    /// A collection whose end event has not come yet.
    private struct OpenCollection {
        var isMapping: Bool
        var style: CollectionStyle
        var tag: String?
        var anchor: String?
        var startByte: Int
        var start: SourceLocation
        /// Sequence items, or mapping keys and values alternating.
        var children: [YAMLNode] = []
    }

    let offsets: CharacterOffsets
    let byteBase: Int
    let maxDepth: Int
    private(set) var root: YAMLNode?
    private(set) var anchors: [String: YAMLNode] = [:]
    private(set) var containsAliases = false
    private var stack: [OpenCollection] = []
    private var documents = 0

    init(offsets: CharacterOffsets, byteBase: Int, maxDepth: Int) {
        self.offsets = offsets
        self.byteBase = byteBase
        self.maxDepth = maxDepth
    }

    mutating func run(_ input: UnsafePointer<UInt8>, count: Int) throws(YAMLError) {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { throw .syntax(problem: "libyaml could not start", at: .init(line: 1, column: 1)) }
        defer { yaml_parser_delete(&parser) }
        yaml_parser_set_input_string(&parser, input, count)

        var event = yaml_event_t()
        while true {
            guard yaml_parser_parse(&parser, &event) == 1 else { throw Self.syntaxError(parser) }
            defer { yaml_event_delete(&event) }
            if event.type == YAML_STREAM_END_EVENT { return }
            try handle(event)
        }
    }

    private mutating func handle(_ event: yaml_event_t) throws(YAMLError) {
        let start = location(event.start_mark)
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            documents += 1
            if documents > 1 { throw .multipleDocuments(secondAt: start) }
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            let value = String(decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
            let node = YAMLNode(
                .scalar(value, style: Self.scalarStyle(scalar.style)),
                tag: Self.string(scalar.tag),
                anchor: Self.string(scalar.anchor),
                span: span(event)
            )
            try add(node)
        case YAML_ALIAS_EVENT:
            let name = Self.string(event.data.alias.anchor) ?? ""
            guard anchors[name] != nil else { throw .undefinedAlias(name, at: start) }
            containsAliases = true
            try add(YAMLNode(.alias(name), span: span(event)))
        case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
            guard stack.count < maxDepth else { throw .nestingTooDeep(limit: maxDepth, at: start) }
            let isMapping = event.type == YAML_MAPPING_START_EVENT
            let data =
                isMapping
                ? (event.data.mapping_start.tag, event.data.mapping_start.anchor, event.data.mapping_start.style == YAML_FLOW_MAPPING_STYLE)
                : (
                    event.data.sequence_start.tag, event.data.sequence_start.anchor,
                    event.data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE
                )
            stack.append(
                OpenCollection(
                    isMapping: isMapping,
                    style: data.2 ? .flow : .block,
                    tag: Self.string(data.0),
                    anchor: Self.string(data.1),
                    startByte: byteOffset(event.start_mark),
                    start: start
                )
            )
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            let open = stack.removeLast()
            let content: YAMLNode.Content
            if open.isMapping {
                content = .mapping(try Self.pairs(open.children), style: open.style)
            } else {
                content = .sequence(open.children, style: open.style)
            }
            let span = SourceSpan(bytes: open.startByte..<byteOffset(event.end_mark), start: open.start)
            try add(YAMLNode(content, tag: open.tag, anchor: open.anchor, span: span))
        default:
            break
        }
    }

    private mutating func add(_ node: YAMLNode) throws(YAMLError) {
        if let anchor = node.anchor { anchors[anchor] = node }
        if stack.isEmpty {
            root = node
        } else {
            stack[stack.count - 1].children.append(node)
        }
    }

    private static func pairs(_ children: [YAMLNode]) throws(YAMLError) -> [YAMLNode.Pair] {
        var pairs: [YAMLNode.Pair] = []
        pairs.reserveCapacity(children.count / 2)
        var index = 0
        while index + 1 < children.count {
            pairs.append(.init(key: children[index], value: children[index + 1]))
            index += 2
        }
        try checkKeysAreUnique(pairs)
        return pairs
    }

    /// Mappings this small (every mapping of a kubeconfig) are checked pair by pair: cheaper than
    /// hashing, and an import makes thousands of them.
    private static let linearKeyCheckLimit = 16

    private static func checkKeysAreUnique(_ pairs: [YAMLNode.Pair]) throws(YAMLError) {
        if pairs.count <= linearKeyCheckLimit {
            for (index, pair) in pairs.enumerated() {
                guard let name = pair.key.scalarValue, let location = pair.key.span?.start else { continue }
                for earlier in pairs[..<index] {
                    if earlier.key.scalarValue == name, let first = earlier.key.span?.start {
                        throw .duplicateKey(name, first: first, second: location)
                    }
                }
            }
            return
        }
        var seen: [String: SourceLocation] = [:]
        for pair in pairs {
            guard let name = pair.key.scalarValue, let location = pair.key.span?.start else { continue }
            if let first = seen.updateValue(location, forKey: name) {
                throw .duplicateKey(name, first: first, second: location)
            }
        }
    }

    private func byteOffset(_ mark: yaml_mark_t) -> Int {
        byteBase + offsets.byteOffset(ofCharacter: mark.index)
    }

    private func location(_ mark: yaml_mark_t) -> SourceLocation {
        SourceLocation(line: mark.line + 1, column: mark.column + 1)
    }

    private func span(_ event: yaml_event_t) -> SourceSpan {
        SourceSpan(bytes: byteOffset(event.start_mark)..<byteOffset(event.end_mark), start: location(event.start_mark))
    }

    private static func syntaxError(_ parser: yaml_parser_t) -> YAMLError {
        var problem = string(parser.problem) ?? "invalid YAML"
        if let context = string(parser.context) {
            let mark = parser.context_mark
            problem += " \(context) that starts at \(mark.line + 1):\(mark.column + 1)"
        }
        let mark = parser.problem_mark
        return .syntax(problem: problem, at: SourceLocation(line: mark.line + 1, column: mark.column + 1))
    }

    private static func scalarStyle(_ style: yaml_scalar_style_t) -> ScalarStyle {
        switch style {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: .singleQuoted
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: .doubleQuoted
        case YAML_LITERAL_SCALAR_STYLE: .literal
        case YAML_FOLDED_SCALAR_STYLE: .folded
        default: .plain
        }
    }

    private static func string(_ pointer: UnsafePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: $0) }
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: $0) }
    }

    private static func string(_ pointer: UnsafePointer<CChar>?) -> String? {
        pointer.map { String(cString: $0) }
    }
}
