import YAML

/// Plans a ``MergeRequest`` against a kubeconfig: decides which entries to add, replace and
/// remove, turns that into text edits, and checks the result before handing it back.
///
/// The rules: only entries carrying the ownership mark of a watch name being
/// written or removed are changed; a foreign entry holding a wanted name is a conflict that
/// skips that cluster; `current-context`, `preferences` and everything else stay as they are.
/// An existing context keeps the `namespace` the user set on it. Entries whose content is
/// already right are not touched, so the same request twice changes nothing the second time.
package enum MergePlanner {
    package static func plan(_ request: MergeRequest, against file: KubeconfigFile) throws(KubeconfigError) -> MergePlan {
        var conflicts: [MergeConflict] = []
        var accepted: [ManagedCluster] = []
        for cluster in request.upserts {
            let blocking = blockingEntries(for: cluster, in: file)
            if blocking.isEmpty {
                accepted.append(cluster)
            } else {
                conflicts.append(MergeConflict(watchName: cluster.owner.watchName, entries: blocking))
            }
        }
        let removals = request.removals.intersection(file.managedWatchNames)
        let touched = Set(accepted.map(\.owner.watchName)).union(removals)

        var sectionPlans: [KubeconfigSection: SectionPlan] = [:]
        var changes: [MergePlan.Change] = []
        for section in KubeconfigSection.allCases {
            let sectionPlan = try planSection(section, accepted: accepted, touched: touched, in: file)
            changes += sectionPlan.changes(in: section)
            sectionPlans[section] = sectionPlan
        }
        let currentContext = newCurrentContext(request.currentContext, contexts: sectionPlans[.contexts], in: file)
        guard !changes.isEmpty || currentContext != nil else {
            return MergePlan(changes: [], conflicts: conflicts, method: .unchanged, original: file.bytes, result: file.bytes, edits: [])
        }

        let method: MergePlan.Method
        var edits: [TextEdit]
        let currentContextValue = file.root?.pairs?.first { $0.key.scalarValue == currentContextKey }?.value
        if file.root == nil {
            method = .created
            edits = [
                TextEdit(
                    range: file.bytes.endIndex..<file.bytes.endIndex,
                    replacement: newFileText(sectionPlans, currentContext: currentContext ?? "", after: file.bytes)
                )
            ]
        } else if currentContext != nil && currentContextValue?.span == nil {
            // No `current-context` key to splice a value into: the document is written anew with one.
            method = .reemitted
            edits = [
                TextEdit(range: file.bytes.indices, replacement: try reemitted(file, with: sectionPlans, currentContext: currentContext))
            ]
        } else if canSplice(sectionPlans, in: file) {
            method = .spliced
            edits = SpliceWriter(file: file).edits(for: sectionPlans)
        } else if JSONSpliceWriter.canSplice(sectionPlans, in: file) {
            method = .spliced
            edits = JSONSpliceWriter(file: file).edits(for: sectionPlans)
        } else {
            method = .reemitted
            edits = [
                TextEdit(range: file.bytes.indices, replacement: try reemitted(file, with: sectionPlans, currentContext: currentContext))
            ]
        }
        if method == .spliced, let currentContext, let range = currentContextValue?.span?.bytes {
            // `current-context:` with no value: the new one needs the space a value follows.
            let separator = range.lowerBound > 0 && file.bytes[range.lowerBound - 1] == UInt8(ascii: ":") ? " " : ""
            edits.append(TextEdit(range: range, replacement: separator + DoubleQuoted.text(currentContext)))
        }
        let result = edits.applied(to: file.bytes)
        if method == .spliced, result.count > fullCheckLimit {
            try verifyRenderedEntries(edits, plans: sectionPlans)
        } else {
            try verify(result, against: file, plans: sectionPlans, touched: touched, currentContext: currentContext)
        }
        return MergePlan(
            changes: changes,
            conflicts: conflicts,
            method: method,
            original: file.bytes,
            result: result,
            edits: edits,
            removedWatchNames: removals.subtracting(accepted.map(\.owner.watchName)),
            currentContext: currentContext
        )
    }

    private static let currentContextKey = "current-context"

    /// The `current-context` the plan writes: the request's, when the file's is empty, missing
    /// or names a context the file will not have, and the request's is one it will have.
    private static func newCurrentContext(_ wanted: String?, contexts plan: SectionPlan?, in file: KubeconfigFile) -> String? {
        guard let wanted else { return nil }
        let present = file.root?.pairs?.first { $0.key.scalarValue == currentContextKey }?.value.scalarValue ?? ""
        var names = Set(file.entries(.contexts).map(\.name))
        names.subtract(plan?.rewrites.filter { $0.replacement == nil }.map(\.existing.name) ?? [])
        names.formUnion(plan?.additions.compactMap { $0["name"]?.scalarValue } ?? [])
        guard present != wanted, present.isEmpty || !names.contains(present), names.contains(wanted) else { return nil }
        return wanted
    }

    // MARK: - Deciding

    private static func blockingEntries(for cluster: ManagedCluster, in file: KubeconfigFile) -> [MergeConflict.Entry] {
        KubeconfigSection.allCases.flatMap { section in
            (cluster.entries[section] ?? []).compactMap { wanted -> MergeConflict.Entry? in
                guard let existing = file.sections[section]?.entry(named: wanted.name),
                    existing.owner?.watchName != cluster.owner.watchName
                else { return nil }
                return .init(
                    section: section,
                    name: existing.name,
                    location: existing.writtenNode.span?.start,
                    ownerWatchName: existing.owner?.watchName
                )
            }
        }
    }

    private static func planSection(
        _ section: KubeconfigSection,
        accepted: [ManagedCluster],
        touched: Set<String>,
        in file: KubeconfigFile
    ) throws(KubeconfigError) -> SectionPlan {
        var plan = SectionPlan()
        let wanted = accepted.flatMap { $0.entries[section] ?? [] }
        for existing in file.entries(section) {
            guard let owner = existing.owner, touched.contains(owner.watchName) else { continue }
            let desired = accepted.first { $0.owner.watchName == owner.watchName }?
                .entries[section]?.first { $0.name == existing.name }
            let final = desired.map { keepingUserSettings(of: existing, in: $0.node, section: section) }
            if let final, existing.node.hasSameValue(as: final) {
                plan.expected[existing.name] = final
                continue
            }
            guard !usesAnchorsOrAliases(existing.writtenNode) else {
                throw .aliasInManagedEntry(section, name: existing.name, at: existing.writtenNode.span?.start ?? .init(line: 1, column: 1))
            }
            plan.rewrites.append(.init(existing: existing, replacement: final))
            if let final { plan.expected[existing.name] = final }
        }
        for entry in wanted where file.sections[section]?.entry(named: entry.name) == nil {
            plan.additions.append(entry.node)
            plan.expected[entry.name] = entry.node
        }
        return plan
    }

    /// The wanted entry, plus what a user may set on a managed entry without it being undone:
    /// the `namespace` of a context (`kubectl config set-context --current --namespace=...`).
    /// An existing context keeps the namespace it has, or none: the watch list's `namespace`
    /// is for a context's first writing only.
    private static func keepingUserSettings(of existing: KubeconfigFile.Entry, in wanted: YAMLNode, section: KubeconfigSection) -> YAMLNode
    {
        guard section == .contexts,
            var entryPairs = wanted.pairs,
            let innerIndex = entryPairs.firstIndex(where: { $0.key.scalarValue == "context" }),
            var innerPairs = entryPairs[innerIndex].value.pairs
        else { return wanted }
        let wantedNamespace = innerPairs.firstIndex { $0.key.scalarValue == "namespace" }
        if let wantedNamespace { innerPairs.remove(at: wantedNamespace) }
        guard let namespace = existing.node["context"]?["namespace"] else {
            if wantedNamespace == nil { return wanted }
            entryPairs[innerIndex].value = YAMLNode(.mapping(innerPairs, style: .block))
            return YAMLNode(.mapping(entryPairs, style: .block))
        }
        let position = innerPairs.firstIndex { $0.key.scalarValue == "extensions" } ?? innerPairs.endIndex
        innerPairs.insert(.init(key: .string("namespace"), value: YAMLNode(namespace.content, tag: namespace.tag)), at: position)
        entryPairs[innerIndex].value = YAMLNode(.mapping(innerPairs, style: .block))
        return YAMLNode(.mapping(entryPairs, style: .block))
    }

    private static func usesAnchorsOrAliases(_ node: YAMLNode) -> Bool {
        if node.anchor != nil { return true }
        switch node.content {
        case .alias: return true
        case .scalar: return false
        case .sequence(let items, _): return items.contains(where: usesAnchorsOrAliases)
        case .mapping(let pairs, _): return pairs.contains { usesAnchorsOrAliases($0.key) || usesAnchorsOrAliases($0.value) }
        }
    }

    // MARK: - Writing

    /// Splicing is sound in a block document whose touched lists are block lists, or empty.
    private static func canSplice(_ plans: [KubeconfigSection: SectionPlan], in file: KubeconfigFile) -> Bool {
        guard file.root?.collectionStyle == .block else { return false }
        return plans.allSatisfy { section, plan in
            guard !plan.isEmpty, let pair = file.sections[section]?.pair else { return true }
            if case .alias = pair.value.content { return false }
            let value = pair.value
            return value.isNull || value.collectionStyle == .block || value.items?.isEmpty == true
        }
    }

    private static func newFileText(_ plans: [KubeconfigSection: SectionPlan], currentContext: String, after prefix: [UInt8]) -> String {
        let renderer = BlockRenderer(layout: .kubectl)
        var text = prefix.isEmpty || prefix.last == UInt8(ascii: "\n") ? "" : "\n"
        text += "apiVersion: v1\nkind: Config\npreferences: {}\n\(currentContextKey): \(DoubleQuoted.text(currentContext))\n"
        for section in [KubeconfigSection.clusters, .contexts, .users] {
            text += renderer.section(section.rawValue, items: plans[section]?.additions ?? [], keyColumn: 0)
        }
        return text
    }

    private static func reemitted(
        _ file: KubeconfigFile,
        with plans: [KubeconfigSection: SectionPlan],
        currentContext: String?
    ) throws(KubeconfigError) -> [UInt8] {
        guard let root = file.root, var pairs = root.pairs else { preconditionFailure("re-emission needs a root mapping") }
        let rootStyle = root.collectionStyle ?? .block
        for section in KubeconfigSection.allCases {
            guard let plan = plans[section], !plan.isEmpty else { continue }
            let index = pairs.firstIndex { $0.key.scalarValue == section.rawValue }
            let value = index.map { file.document.resolving(pairs[$0].value) }
            let style = value?.collectionStyle ?? rootStyle
            var items = (value?.items ?? []).compactMap { item -> YAMLNode? in
                guard let rewrite = plan.rewrites.first(where: { $0.existing.writtenNode == item }) else { return item }
                return rewrite.replacement.map { $0.restyled(style) }
            }
            items += plan.additions.map { $0.restyled(style) }
            let list = YAMLNode(.sequence(items, style: style), tag: value?.tag)
            if let index {
                pairs[index].value = list
            } else {
                pairs.append(.init(key: .string(section.rawValue).restyled(rootStyle), value: list))
            }
        }
        if let currentContext {
            let value = YAMLNode.string(currentContext).restyled(rootStyle)
            if let index = pairs.firstIndex(where: { $0.key.scalarValue == currentContextKey }) {
                pairs[index].value = value
            } else {
                pairs.append(.init(key: .string(currentContextKey).restyled(rootStyle), value: value))
            }
        }
        let layout = SpliceWriter.layout(of: file)
        do {
            return try YAMLEmitter(indent: min(max(layout.mappingIndent, 2), 9)).emit(
                YAMLNode(.mapping(pairs, style: rootStyle), tag: root.tag, anchor: root.anchor)
            )
        } catch .unwritableTag(let tag) {
            throw .notRewritable(.unwritableTag(tag))
        } catch {
            throw .verificationFailed("libyaml could not write the document: \(error)")
        }
    }

    // MARK: - Checking

    /// Files up to this size are read back whole before they are written (about 10 ms of
    /// parsing; a real kubeconfig is 10 to 100 KB). Above it, re-reading would double the time
    /// of an update, so a splice is checked by reading back each piece of new text on its own:
    /// the splice positions themselves are whole-line boundaries by construction.
    static let fullCheckLimit = 1 << 20

    /// Reads every inserted or replacing text back on its own and checks that together they hold
    /// exactly the planned entries.
    private static func verifyRenderedEntries(_ edits: [TextEdit], plans: [KubeconfigSection: SectionPlan]) throws(KubeconfigError) {
        var rendered: [YAMLNode] = []
        for edit in edits where !edit.replacement.isEmpty {
            let root: YAMLNode?
            do {
                root = try YAMLParser.parse(edit.replacement).root
            } catch {
                throw .verificationFailed("a new entry does not read back: \(error)")
            }
            if let items = root?.items {
                rendered += items
            } else if let pairs = root?.pairs {
                rendered += pairs.flatMap { $0.value.items ?? [] }
            }
        }
        var planned = plans.values.flatMap { $0.additions + $0.rewrites.compactMap(\.replacement) }
        for node in rendered {
            guard let index = planned.firstIndex(where: node.hasSameValue) else {
                throw .verificationFailed("a new entry does not read back as planned")
            }
            planned.remove(at: index)
        }
        guard planned.isEmpty else { throw .verificationFailed("a planned entry is missing from the new text") }
    }

    /// Re-reads the new text and checks the contract before anything can be written: it parses,
    /// every foreign entry and top-level key is still there with the same value and order, and
    /// the managed entries are exactly the planned ones.
    private static func verify(
        _ result: [UInt8],
        against file: KubeconfigFile,
        plans: [KubeconfigSection: SectionPlan],
        touched: Set<String>,
        currentContext: String?
    ) throws(KubeconfigError) {
        let after: KubeconfigFile
        do {
            after = try KubeconfigFile(bytes: result)
        } catch {
            throw .verificationFailed("it does not read back: \(error)")
        }
        if let currentContext,
            after.root?.pairs?.first(where: { $0.key.scalarValue == currentContextKey })?.value.scalarValue != currentContext
        {
            throw .verificationFailed("\(currentContextKey) is not the planned one")
        }
        let sectionKeys = Set(KubeconfigSection.allCases.map(\.rawValue) + (currentContext == nil ? [] : [currentContextKey]))
        let otherBefore = file.root?.pairs?.filter { !sectionKeys.contains($0.key.scalarValue ?? "") } ?? []
        let otherAfter = after.root?.pairs?.filter { !sectionKeys.contains($0.key.scalarValue ?? "") } ?? []
        for pair in otherBefore
        where !otherAfter.contains(where: { $0.key.hasSameValue(as: pair.key) && $0.value.hasSameValue(as: pair.value) }) {
            throw .verificationFailed("top-level key \"\(pair.key.scalarValue ?? "?")\" changed")
        }
        for section in KubeconfigSection.allCases {
            let isTouched = { (entry: KubeconfigFile.Entry) in entry.owner.map { touched.contains($0.watchName) } ?? false }
            let foreignBefore = file.entries(section).filter { !isTouched($0) }
            let foreignAfter = after.entries(section).filter { !isTouched($0) }
            guard foreignBefore.count == foreignAfter.count,
                zip(foreignBefore, foreignAfter).allSatisfy({ before, entry in
                    // Spliced entries are the same bytes; comparing them is much cheaper than comparing values.
                    guard before.name == entry.name else { return false }
                    if let old = file.sourceText(of: before), let new = after.sourceText(of: entry), old == new { return true }
                    return before.node.hasSameValue(as: entry.node)
                })
            else { throw .verificationFailed("an entry of \"\(section.rawValue)\" that is not ours changed") }
            let managedAfter = after.entries(section).filter(isTouched)
            let expected = plans[section]?.expected ?? [:]
            guard managedAfter.count == expected.count,
                managedAfter.allSatisfy({ expected[$0.name].map($0.node.hasSameValue) ?? false })
            else { throw .verificationFailed("the managed entries of \"\(section.rawValue)\" are not the planned ones") }
        }
    }
}

/// What happens to one list.
struct SectionPlan: Sendable {
    /// A managed entry that is replaced (`replacement` set) or removed (`nil`).
    struct Rewrite: Sendable {
        var existing: KubeconfigFile.Entry
        var replacement: YAMLNode?
    }

    var rewrites: [Rewrite] = []
    /// New entries, appended at the end of the list in this order.
    var additions: [YAMLNode] = []
    /// Every managed entry of the touched watch names as it must read afterwards, by name.
    var expected: [String: YAMLNode] = [:]

    var isEmpty: Bool { rewrites.isEmpty && additions.isEmpty }

    func changes(in section: KubeconfigSection) -> [MergePlan.Change] {
        rewrites.map { .init(section: section, name: $0.existing.name, action: $0.replacement == nil ? .remove : .replace) }
            + additions.compactMap { $0["name"]?.scalarValue }.map { .init(section: section, name: $0, action: .add) }
    }
}

extension YAMLNode {
    /// This node made in code, written in `style`: for flow (and JSON) files every collection
    /// becomes flow and every string double-quoted, so a JSON file stays JSON.
    func restyled(_ style: CollectionStyle) -> YAMLNode {
        guard style == .flow else { return self }
        var copy = self
        switch content {
        case .scalar(let text, let scalarStyle):
            let keepsPlain = scalarStyle == .plain && PlainScalar.resolve(text) != .string
            copy.content = .scalar(text, style: keepsPlain ? .plain : .doubleQuoted)
        case .sequence(let items, _):
            copy.content = .sequence(items.map { $0.restyled(.flow) }, style: .flow)
        case .mapping(let pairs, _):
            copy.content = .mapping(pairs.map { .init(key: $0.key.restyled(.flow), value: $0.value.restyled(.flow)) }, style: .flow)
        case .alias:
            break
        }
        return copy
    }
}
