import CLibYAML

/// Writes a node tree as YAML text with libyaml's emitter, keeping each node's style and tag.
///
/// The settings avoid libyaml's defaults that would damage a kubeconfig: an unlimited line
/// width (the default folds long base64 values at 80 columns) and Unicode written as itself
/// (the default escapes `é` as `"\xE9"`). Scalar styles are taken as given, so values made in
/// code should come from ``YAMLNode/string(_:)``, which quotes what plain style would change.
package struct YAMLEmitter: Sendable {
    /// Spaces per indentation level of block mappings (libyaml accepts 2 to 9).
    package var indent: Int

    package init(indent: Int = 2) {
        self.indent = indent
    }

    /// The text of a one-document stream holding `root`, ending in a line break.
    package func emit(_ root: YAMLNode) throws(YAMLError) -> [UInt8] {
        let output = OutputBuffer()
        // On the heap: libyaml keeps pointers into the emitter, so it must not move while in use.
        let emitter = UnsafeMutablePointer<yaml_emitter_t>.allocate(capacity: 1)
        defer { emitter.deallocate() }
        guard yaml_emitter_initialize(emitter) == 1 else { throw .emitter(problem: "libyaml could not start its emitter") }
        defer { yaml_emitter_delete(emitter) }
        yaml_emitter_set_unicode(emitter, 1)
        yaml_emitter_set_width(emitter, -1)
        yaml_emitter_set_indent(emitter, Int32(indent))
        yaml_emitter_set_break(emitter, YAML_LN_BREAK)
        yaml_emitter_set_output(
            emitter,
            { context, buffer, size in
                guard let context, let buffer else { return 0 }
                let output = Unmanaged<OutputBuffer>.fromOpaque(context).takeUnretainedValue()
                output.bytes.append(contentsOf: UnsafeBufferPointer(start: buffer, count: size))
                return 1
            },
            Unmanaged.passUnretained(output).toOpaque()
        )

        try withExtendedLifetime(output) { () throws(YAMLError) in
            let session = EmitterSession(emitter: emitter)
            try session.send { yaml_stream_start_event_initialize(&$0, YAML_UTF8_ENCODING) }
            try session.send { yaml_document_start_event_initialize(&$0, nil, nil, nil, 1) }
            try session.emit(root)
            try session.send { yaml_document_end_event_initialize(&$0, 1) }
            try session.send { yaml_stream_end_event_initialize(&$0) }
        }
        return output.bytes
    }
}

/// Where libyaml's write handler puts the text; a class so the C callback can reach it by pointer.
private final class OutputBuffer {
    var bytes: [UInt8] = []
}

/// Feeds events to one emitter. `yaml_emitter_emit` takes ownership of every event it is given,
/// on success and on failure alike, so no event is ever deleted here after it was sent.
private struct EmitterSession {
    let emitter: UnsafeMutablePointer<yaml_emitter_t>

    init(emitter: UnsafeMutablePointer<yaml_emitter_t>) {
        self.emitter = emitter
    }

    /// Whether libyaml writes `tag` so that it reads back. It shortens a tag under one of its
    /// default prefixes (`!` and `tag:yaml.org,2002:`, when something follows) to `!suffix` or
    /// `!!suffix` without checking the suffix, and a short tag ends at a flow indicator.
    static func survivesShortening(_ tag: String) -> Bool {
        let suffix: Substring
        if tag.hasPrefix("!"), tag.count > 1 {
            suffix = tag.dropFirst()
        } else if tag.hasPrefix(secondaryTagPrefix), tag.count > secondaryTagPrefix.count {
            suffix = tag.dropFirst(secondaryTagPrefix.count)
        } else {
            return true
        }
        return !suffix.contains { ",[]{}".contains($0) }
    }

    private static let secondaryTagPrefix = "tag:yaml.org,2002:"

    func send(_ initialize: (inout yaml_event_t) -> Int32) throws(YAMLError) {
        var event = yaml_event_t()
        guard initialize(&event) == 1 else { throw .emitter(problem: "libyaml could not create an event") }
        guard yaml_emitter_emit(emitter, &event) == 1 else {
            throw .emitter(problem: emitter.pointee.problem.map { String(cString: $0) } ?? "unknown emitter error")
        }
    }

    func emit(_ node: YAMLNode) throws(YAMLError) {
        if let tag = node.tag, !Self.survivesShortening(tag) { throw .unwritableTag(tag) }
        try withOptionalCString(node.anchor) { (anchor) throws(YAMLError) in
            try withOptionalCString(node.tag) { (tag) throws(YAMLError) in
                let implicit: Int32 = node.tag == nil ? 1 : 0
                switch node.content {
                case .scalar(let value, let style):
                    // An empty plain scalar is a null. libyaml quotes it inside a flow collection
                    // or as a key (plain style cannot be empty there), which would make it the
                    // string "": spelled `null`, it stays a null wherever it stands.
                    let isEmptyNull = style == .plain && value.isEmpty && node.tag == nil
                    var utf8 = isEmptyNull ? Array("null".utf8) : Array(value.utf8)
                    try utf8.withUnsafeMutableBufferPointer { (buffer) throws(YAMLError) in
                        try send {
                            yaml_scalar_event_initialize(
                                &$0,
                                anchor,
                                tag,
                                buffer.baseAddress,
                                Int32(buffer.count),
                                implicit,
                                implicit,
                                Self.libyamlStyle(style)
                            )
                        }
                    }
                case .sequence(let items, let style):
                    let libyamlStyle = style == .flow ? YAML_FLOW_SEQUENCE_STYLE : YAML_BLOCK_SEQUENCE_STYLE
                    try send { yaml_sequence_start_event_initialize(&$0, anchor, tag, implicit, libyamlStyle) }
                    for item in items { try emit(item) }
                    try send { yaml_sequence_end_event_initialize(&$0) }
                case .mapping(let pairs, let style):
                    let libyamlStyle = style == .flow ? YAML_FLOW_MAPPING_STYLE : YAML_BLOCK_MAPPING_STYLE
                    try send { yaml_mapping_start_event_initialize(&$0, anchor, tag, implicit, libyamlStyle) }
                    for pair in pairs {
                        try emit(pair.key)
                        try emit(pair.value)
                    }
                    try send { yaml_mapping_end_event_initialize(&$0) }
                case .alias(let name):
                    try withOptionalCString(name) { (name) throws(YAMLError) in
                        try send { yaml_alias_event_initialize(&$0, name) }
                    }
                }
            }
        }
    }

    private static func libyamlStyle(_ style: ScalarStyle) -> yaml_scalar_style_t {
        switch style {
        case .plain: YAML_PLAIN_SCALAR_STYLE
        case .singleQuoted: YAML_SINGLE_QUOTED_SCALAR_STYLE
        case .doubleQuoted: YAML_DOUBLE_QUOTED_SCALAR_STYLE
        case .literal: YAML_LITERAL_SCALAR_STYLE
        case .folded: YAML_FOLDED_SCALAR_STYLE
        }
    }
}

/// Calls `body` with a NUL-terminated copy of `string` as libyaml wants it, or with `nil`.
private func withOptionalCString<R>(
    _ string: String?,
    _ body: (UnsafeMutablePointer<yaml_char_t>?) throws(YAMLError) -> R
) throws(YAMLError) -> R {
    guard let string else { return try body(nil) }
    var bytes = Array(string.utf8) + [0]
    return try bytes.withUnsafeMutableBufferPointer { (buffer) throws(YAMLError) in try body(buffer.baseAddress) }
}
