import YAML

/// Turns section plans into splices of a JSON kubeconfig (a flow-style document), so that a
/// pretty-printed file keeps its layout and every byte outside the changed entries.
///
/// New entries are written as JSON in the file's own layout: one key per line at the file's
/// indentation step when the file is pretty-printed, on one line when it is compact. A removed
/// entry takes one neighbouring comma with it, so the list stays valid JSON.
struct JSONSpliceWriter {
    let file: KubeconfigFile
    private let lines: Lines
    private let renderer: JSONRenderer

    init(file: KubeconfigFile) {
        self.file = file
        self.lines = Lines(bytes: file.bytes)
        self.renderer = JSONRenderer(indentStep: Self.indentStep(of: file, lines: lines))
    }

    /// Splicing is sound in a flow document whose touched lists are flow lists, `null`, or missing.
    static func canSplice(_ plans: [KubeconfigSection: SectionPlan], in file: KubeconfigFile) -> Bool {
        guard file.root?.collectionStyle == .flow else { return false }
        return plans.allSatisfy { section, plan in
            guard !plan.isEmpty, let value = file.sections[section]?.pair?.value else { return true }
            return value.isNull || (value.items != nil && value.collectionStyle == .flow)
        }
    }

    func edits(for plans: [KubeconfigSection: SectionPlan]) -> [TextEdit] {
        guard let root = file.root, let lastPair = root.pairs?.last, let rootEnd = lastPair.value.contentEnd else {
            preconditionFailure("JSON splicing needs a root mapping with at least one key")
        }
        let keyColumn = lastPair.key.span.map { lines.column(of: $0.bytes.lowerBound) } ?? 0
        var edits: [TextEdit] = []
        var missing = ""
        for section in KubeconfigSection.allCases {
            guard let plan = plans[section], !plan.isEmpty else { continue }
            guard let pair = file.sections[section]?.pair else {
                missing +=
                    renderer.separator(column: keyColumn)
                    + "\"\(section.rawValue)\": " + renderer.list(plan.additions, column: keyColumn)
                continue
            }
            if pair.value.isNull, let span = pair.value.span {
                let column = lines.indentation(ofLineAt: span.bytes.lowerBound)
                edits.append(TextEdit(range: span.bytes, replacement: renderer.list(plan.additions, column: column)))
            } else {
                edits += listEdits(pair.value, plan: plan)
            }
        }
        if !missing.isEmpty {
            edits.append(TextEdit(range: rootEnd..<rootEnd, replacement: missing))
        }
        return edits
    }

    private func listEdits(_ list: YAMLNode, plan: SectionPlan) -> [TextEdit] {
        guard let items = list.items, let span = list.span else { return [] }
        guard !items.isEmpty else {
            let open = span.bytes.lowerBound + 1
            let column = lines.indentation(ofLineAt: span.bytes.lowerBound)
            let inner = renderer.list(plan.additions, column: column).dropFirst().dropLast()
            return [TextEdit(range: open..<open, replacement: String(inner))]
        }
        let removed = Set(
            plan.rewrites.filter { $0.replacement == nil }.compactMap { rewrite in
                items.firstIndex { $0 == rewrite.existing.writtenNode }
            }
        )
        var edits: [TextEdit] = []
        for rewrite in plan.rewrites {
            guard let replacement = rewrite.replacement, let start = rewrite.existing.writtenNode.span?.bytes.lowerBound,
                let end = rewrite.existing.writtenNode.contentEnd
            else { continue }
            edits.append(TextEdit(range: start..<end, replacement: renderer.value(replacement, column: lines.indentation(ofLineAt: start))))
        }
        edits += removalEdits(items, removed: removed)
        if !plan.additions.isEmpty, let last = items.last?.contentEnd, let firstStart = items.first?.span?.bytes.lowerBound {
            let column = lines.indentation(ofLineAt: firstStart)
            let separator = renderer.separator(column: column)
            let keepsAny = removed.count < items.count
            let text = plan.additions.enumerated().map { index, entry in
                (index == 0 && !keepsAny ? "" : separator) + renderer.value(entry, column: column)
            }.joined()
            edits.append(TextEdit(range: last..<last, replacement: text))
        }
        return edits
    }

    /// Each removed item goes with the comma before it; removed items before the first kept one go with the
    /// comma after them. Adjacent removals thus touch but never overlap.
    private func removalEdits(_ items: [YAMLNode], removed: Set<Int>) -> [TextEdit] {
        guard !removed.isEmpty else { return [] }
        let starts = items.map { $0.span?.bytes.lowerBound ?? 0 }
        let ends = items.map { $0.contentEnd ?? 0 }
        guard let firstKept = items.indices.first(where: { !removed.contains($0) }) else {
            return [TextEdit(range: starts[0]..<ends[items.count - 1], replacement: "")]
        }
        var edits: [TextEdit] = []
        if firstKept > 0 {
            edits.append(TextEdit(range: starts[0]..<starts[firstKept], replacement: ""))
        }
        for index in removed.sorted() where index > firstKept {
            edits.append(TextEdit(range: ends[index - 1]..<ends[index], replacement: ""))
        }
        return edits
    }

    /// Spaces per level in a pretty-printed file (the column of the root's first key), or `nil` for compact JSON.
    private static func indentStep(of file: KubeconfigFile, lines: Lines) -> Int? {
        guard let root = file.root?.span, let firstKey = file.root?.pairs?.first?.key.span else { return nil }
        guard lines.start(ofLineAt: firstKey.bytes.lowerBound) > root.bytes.lowerBound else { return nil }
        return max(1, lines.column(of: firstKey.bytes.lowerBound) - lines.indentation(ofLineAt: root.bytes.lowerBound))
    }
}

/// Writes nodes made in code as JSON, pretty-printed at a given step or compact.
struct JSONRenderer {
    /// Spaces per level; `nil` writes everything on one line.
    var indentStep: Int?

    /// What goes between two items or pairs whose lines start at `column`.
    func separator(column: Int) -> String {
        indentStep == nil ? ", " : ",\n" + String(repeating: " ", count: column)
    }

    /// A list of nodes, its `[` at a line indented by `column`.
    func list(_ items: [YAMLNode], column: Int) -> String {
        value(.sequence(items, style: .flow), column: column)
    }

    /// A node whose first line is indented by `column`.
    func value(_ node: YAMLNode, column: Int) -> String {
        switch node.content {
        case .scalar(let text, let style):
            return style == .plain && PlainScalar.resolve(text) != .string ? text : DoubleQuoted.text(text)
        case .alias(let name):
            return DoubleQuoted.text(name)
        case .sequence(let items, _):
            return collection("[", "]", items.map { value($0, column: column + (indentStep ?? 0)) }, column: column)
        case .mapping(let pairs, _):
            let members = pairs.map {
                DoubleQuoted.text($0.key.scalarValue ?? "") + ": " + value($0.value, column: column + (indentStep ?? 0))
            }
            return collection("{", "}", members, column: column)
        }
    }

    private func collection(_ open: String, _ close: String, _ members: [String], column: Int) -> String {
        guard !members.isEmpty else { return open + close }
        guard let step = indentStep else { return open + members.joined(separator: ", ") + close }
        let inner = String(repeating: " ", count: column + step)
        return open + "\n" + inner + members.joined(separator: ",\n" + inner) + "\n" + String(repeating: " ", count: column) + close
    }
}
