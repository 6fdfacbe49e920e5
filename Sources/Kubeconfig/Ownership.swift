import YAML

/// The mark cce-kubeconfigd puts on every cluster, user and context it writes.
///
/// It lives in the kubeconfig itself, as a `NamedExtension` in the entry's `extensions`
/// list, so ownership and data are always written together (a sidecar file could drift),
/// and kubectl keeps it when it rewrites the file. Only entries with this mark are ever
/// changed or removed.
package struct Ownership: Sendable, Hashable {
    /// The `name` of the extension that marks an entry as managed.
    package static let extensionName = "cce-kubeconfigd"

    /// The watch name `N` the entry belongs to.
    package var watchName: String
    /// The Huawei Cloud project the cluster lives in, when known.
    package var projectID: String?
    /// The CCE cluster id, when known.
    package var clusterID: String?

    package init(watchName: String, projectID: String? = nil, clusterID: String? = nil) {
        self.watchName = watchName
        self.projectID = projectID
        self.clusterID = clusterID
    }

    /// Reads the mark from an entry of `section`, or `nil` for an entry that is not managed.
    package init?(entry: YAMLNode, section: KubeconfigSection, in document: YAMLDocument) {
        guard
            let inner = entry[section.entryKey].map(document.resolving),
            let extensions = inner["extensions"].map(document.resolving)?.items,
            let mark = extensions.map(document.resolving).first(where: { $0["name"]?.scalarValue == Self.extensionName }),
            let fields = mark["extension"].map(document.resolving),
            let watchName = fields["watch-name"]?.scalarValue, !watchName.isEmpty
        else { return nil }
        self.init(
            watchName: watchName,
            projectID: fields["project-id"]?.scalarValue,
            clusterID: fields["cluster-id"]?.scalarValue
        )
    }

    /// The `extensions` list item that carries this mark. Every value is a string that
    /// reads back as one, so kubectl's YAML 1.1 layer cannot turn an id into a number.
    package var extensionNode: YAMLNode {
        var fields: [YAMLNode.Pair] = [.init(key: .string("watch-name"), value: .string(watchName))]
        if let projectID { fields.append(.init(key: .string("project-id"), value: .string(projectID))) }
        if let clusterID { fields.append(.init(key: .string("cluster-id"), value: .string(clusterID))) }
        return .mapping([
            "name": .string(Self.extensionName),
            "extension": YAMLNode(.mapping(fields, style: .block)),
        ])
    }
}
