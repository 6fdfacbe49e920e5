import YAML

/// A user's kubeconfig as read from its bytes: the YAML tree and the entries of its three lists.
///
/// Reading checks what the merge relies on and what kubectl itself would reject (a top
/// level that is not a mapping, lists that are not lists, nameless or duplicate entries),
/// so that a file is refused with a location before anything is planned against it.
package struct KubeconfigFile: Sendable {
    /// An item of `clusters`, `users` or `contexts`.
    package struct Entry: Sendable {
        package var name: String
        /// The list item (a mapping with `name` and the inner object), aliases resolved.
        package var node: YAMLNode
        /// The item as written, which may be an alias.
        package var writtenNode: YAMLNode
        /// The cce-kubeconfigd mark, or `nil` for a foreign entry.
        package var owner: Ownership?
    }

    /// One of the three lists.
    package struct Section: Sendable {
        /// The top-level key and value pair, or `nil` when the key is missing.
        package var pair: YAMLNode.Pair?
        package var entries: [Entry]

        /// The entry with `name`, if any.
        package func entry(named name: String) -> Entry? {
            entries.first { $0.name == name }
        }
    }

    package let bytes: [UInt8]
    package let document: YAMLDocument
    /// The top-level mapping, or `nil` for a file with no document (empty, or only comments).
    package let root: YAMLNode?
    package let sections: [KubeconfigSection: Section]

    /// Parses and checks a kubeconfig.
    package init(bytes: [UInt8]) throws(KubeconfigError) {
        let document: YAMLDocument
        do {
            document = try YAMLParser.parse(bytes)
        } catch {
            throw .yaml(error)
        }
        self.bytes = bytes
        self.document = document
        let start = SourceLocation(line: 1, column: 1)
        guard let root = document.root else {
            self.root = nil
            self.sections = Dictionary(uniqueKeysWithValues: KubeconfigSection.allCases.map { ($0, Section(pair: nil, entries: [])) })
            return
        }
        guard root.pairs != nil else { throw .notAMapping(at: root.span?.start ?? start) }
        self.root = root
        var sections: [KubeconfigSection: Section] = [:]
        for section in KubeconfigSection.allCases {
            sections[section] = try Self.readSection(section, of: root, in: document)
        }
        self.sections = sections
    }

    /// The entries of `section`, in file order.
    package func entries(_ section: KubeconfigSection) -> [Entry] {
        sections[section]?.entries ?? []
    }

    /// The bytes an entry was written with, from its first to its last character.
    package func sourceText(of entry: Entry) -> ArraySlice<UInt8>? {
        guard let start = entry.writtenNode.span?.bytes.lowerBound, let end = entry.writtenNode.contentEnd else { return nil }
        return bytes[start..<end]
    }

    /// Every watch name that owns at least one entry, sorted.
    package var managedWatchNames: [String] {
        let names = KubeconfigSection.allCases.flatMap { entries($0).compactMap(\.owner?.watchName) }
        return Array(Set(names)).sorted()
    }

    private static func readSection(
        _ section: KubeconfigSection,
        of root: YAMLNode,
        in document: YAMLDocument
    ) throws(KubeconfigError) -> Section {
        guard let pair = root.pair(forKey: section.rawValue) else { return Section(pair: nil, entries: []) }
        let value = document.resolving(pair.value)
        if value.isNull { return Section(pair: pair, entries: []) }
        guard let items = value.items else {
            throw .sectionNotAList(section, at: value.span?.start ?? pair.key.span?.start ?? .init(line: 1, column: 1))
        }
        var entries: [Entry] = []
        var firstLocation: [String: SourceLocation] = [:]
        for writtenItem in items {
            let item = document.resolving(writtenItem)
            let location = writtenItem.span?.start ?? .init(line: 1, column: 1)
            guard item.pairs != nil, let name = item["name"].map(document.resolving)?.scalarValue else {
                throw .entryWithoutName(section, at: location)
            }
            if let first = firstLocation.updateValue(location, forKey: name) {
                throw .duplicateName(section, name: name, first: first, second: location)
            }
            entries.append(
                Entry(
                    name: name,
                    node: item,
                    writtenNode: writtenItem,
                    owner: Ownership(entry: item, section: section, in: document)
                )
            )
        }
        return Section(pair: pair, entries: entries)
    }
}

extension KubeconfigFile: CustomStringConvertible, CustomReflectable {
    /// Entry names only: the text holds credentials.
    package var description: String {
        let names = KubeconfigSection.allCases.map { "\($0.rawValue) \(entries($0).map(\.name))" }
        return "KubeconfigFile(\(bytes.count) bytes; \(names.joined(separator: ", ")))"
    }

    package var customMirror: Mirror { Mirror(self, children: [:]) }
}
