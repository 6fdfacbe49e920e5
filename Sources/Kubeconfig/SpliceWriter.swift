import YAML

/// Turns section plans into whole-line splices of a block-style kubeconfig.
///
/// An entry's region runs from the start of the line holding its `-` to the end of the line
/// holding its last character, so comments and blank lines between entries stay where they
/// are. Replacements are written at the replaced entry's column, additions after the last
/// entry at its column, and a list that is empty or missing gets its items in the file's own
/// list indentation.
struct SpliceWriter {
    let file: KubeconfigFile
    private let lines: Lines
    private let renderer: BlockRenderer

    init(file: KubeconfigFile) {
        self.file = file
        self.lines = Lines(bytes: file.bytes)
        self.renderer = BlockRenderer(layout: Self.layout(of: file))
    }

    func edits(for plans: [KubeconfigSection: SectionPlan]) -> [TextEdit] {
        guard let root = file.root, let rootEnd = root.contentEnd else { preconditionFailure("splicing needs a root mapping") }
        var edits: [TextEdit] = []
        var missing: [(KubeconfigSection, [YAMLNode])] = []
        for section in KubeconfigSection.allCases {
            guard let plan = plans[section], !plan.isEmpty else { continue }
            guard let pair = file.sections[section]?.pair else {
                missing.append((section, plan.additions))
                continue
            }
            if let items = pair.value.items, let last = items.last {
                edits += plan.rewrites.map(rewriteEdit)
                if !plan.additions.isEmpty, let lastEnd = last.contentEnd {
                    let column = dashColumn(of: last)
                    edits.append(
                        insertion(
                            at: lines.endOfLines(through: lastEnd),
                            text: plan.additions.map { renderer.sequenceItem($0, column: column) }.joined()
                        )
                    )
                }
            } else {
                edits += fillEmptyList(pair, with: plan.additions)
            }
        }
        if !missing.isEmpty, let firstKey = root.pairs?.first?.key.span {
            let keyColumn = lines.column(of: firstKey.bytes.lowerBound)
            let text = missing.map { renderer.section($0.0.rawValue, items: $0.1, keyColumn: keyColumn) }.joined()
            edits.append(insertion(at: lines.endOfLines(through: rootEnd), text: text))
        }
        return edits
    }

    /// Replaces or removes one entry, whole lines.
    private func rewriteEdit(_ rewrite: SectionPlan.Rewrite) -> TextEdit {
        let node = rewrite.existing.writtenNode
        guard let span = node.span, let end = node.contentEnd else { preconditionFailure("a parsed entry has a span") }
        let start = lines.start(ofLineAt: lines.dash(before: span.bytes.lowerBound) ?? span.bytes.lowerBound)
        let text = rewrite.replacement.map { renderer.sequenceItem($0, column: dashColumn(of: node)) } ?? ""
        return TextEdit(range: start..<lines.endOfLines(through: end), replacement: text)
    }

    /// `clusters:`, `clusters: null` or `clusters: []` becomes a block list, put after the key's line
    /// (a comment on that line stays on it).
    private func fillEmptyList(_ pair: YAMLNode.Pair, with items: [YAMLNode]) -> [TextEdit] {
        guard let keySpan = pair.key.span, let valueSpan = pair.value.span else { return [] }
        let column = lines.column(of: keySpan.bytes.lowerBound) + renderer.layout.sequenceIndent
        var text = items.map { renderer.sequenceItem($0, column: column) }.joined()
        text.removeLast()
        let lineBreak = lines.lineBreak(ofLineAt: valueSpan.bytes.upperBound)
        var edits = [TextEdit(range: lineBreak..<lineBreak, replacement: "\n" + text)]
        if !valueSpan.bytes.isEmpty {
            edits.append(TextEdit(range: valueSpan.bytes, replacement: ""))
        }
        return edits
    }

    /// Inserts whole lines at a line start; at the very end of a text without a final line break, adds one first.
    private func insertion(at offset: Int, text: String) -> TextEdit {
        let needsBreak = offset == file.bytes.count && file.bytes.last.map { $0 != UInt8(ascii: "\n") } ?? false
        return TextEdit(range: offset..<offset, replacement: (needsBreak ? "\n" : "") + text)
    }

    private func dashColumn(of item: YAMLNode) -> Int {
        guard let start = item.span?.bytes.lowerBound else { return 0 }
        if let dash = lines.dash(before: start) { return lines.column(of: dash) }
        return max(0, lines.column(of: start) - 2)
    }

    /// The file's list and mapping indentation, read from its first non-empty block list
    /// (kubectl's when there is none).
    static func layout(of file: KubeconfigFile) -> BlockLayout {
        let lines = Lines(bytes: file.bytes)
        for section in KubeconfigSection.allCases {
            guard let pair = file.sections[section]?.pair,
                pair.value.collectionStyle == .block,
                let first = pair.value.items?.first,
                let keyStart = pair.key.span?.bytes.lowerBound,
                let itemStart = first.span?.bytes.lowerBound,
                let dash = lines.dash(before: itemStart)
            else { continue }
            let sequenceIndent = max(0, lines.column(of: dash) - lines.column(of: keyStart))
            var mappingIndent = 2
            if let inner = first.pair(forKey: section.entryKey),
                inner.value.collectionStyle == .block,
                let innerKey = inner.key.span?.bytes.lowerBound,
                let nestedKey = inner.value.pairs?.first?.key.span?.bytes.lowerBound
            {
                let indent = lines.column(of: nestedKey) - lines.column(of: innerKey)
                if indent > 0 { mappingIndent = indent }
            }
            return BlockLayout(sequenceIndent: sequenceIndent, mappingIndent: mappingIndent)
        }
        return .kubectl
    }
}
