import YAML

/// Why a user's kubeconfig cannot be read or changed safely.
///
/// Each description is one sentence that starts with `line:column` where there is one, so the
/// caller only puts the file name in front. None contains a value from the file.
package enum KubeconfigError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The text is not one valid YAML document.
    case yaml(YAMLError)
    /// The top level is a list or a scalar.
    case notAMapping(at: SourceLocation)
    /// `clusters`, `users` or `contexts` holds something other than a list.
    case sectionNotAList(KubeconfigSection, at: SourceLocation)
    /// An item of a list is not a mapping with a string `name`.
    case entryWithoutName(KubeconfigSection, at: SourceLocation)
    /// Two entries of one list share a name; kubectl refuses such a file.
    case duplicateName(KubeconfigSection, name: String, first: SourceLocation, second: SourceLocation)
    /// An entry the merge would rewrite uses anchors or aliases, which a rewrite would break.
    case aliasInManagedEntry(KubeconfigSection, name: String, at: SourceLocation)
    /// Entries named as managed ones exist but are not marked as managed by this watch name.
    case conflict(MergeConflict)
    /// The merge has to rewrite the file whole (a flow list in it), and libyaml cannot write part of it.
    case notRewritable(YAMLError)
    /// The edited text failed the check made before anything is written (a bug, never a partial file).
    case verificationFailed(String)

    /// The message with the file name in front: `path:12:3: ...`, or `path: ...` when there is no place.
    package func described(in path: String) -> String {
        let text = description
        return text.first?.isNumber == true ? "\(path):\(text)" : "\(path): \(text)"
    }

    package var description: String {
        switch self {
        case .yaml(let error):
            error.description
        case .notAMapping(let location):
            "\(location): a kubeconfig must be a mapping (apiVersion, clusters, contexts, users, ...)"
        case .sectionNotAList(let section, let location):
            "\(location): \"\(section.rawValue)\" must be a list"
        case .entryWithoutName(let section, let location):
            "\(location): every item of \"\(section.rawValue)\" must be a mapping with a string \"name\""
        case .duplicateName(let section, let name, let first, let second):
            "\(second): \(section) \"\(name)\" is defined twice in \"\(section.rawValue)\" (first at \(first)); kubectl refuses such a file"
        case .aliasInManagedEntry(let section, let name, let location):
            "\(location): managed \(section) \"\(name)\" uses YAML anchors or aliases, which rewriting it would break; remove them by hand"
        case .conflict(let conflict):
            conflict.description
        case .notRewritable(let error):
            "a list in flow style ([...]) makes the merge rewrite the whole file, and \(error); nothing was written"
        case .verificationFailed(let reason):
            "the merged kubeconfig failed its final check (\(reason)); nothing was written"
        }
    }
}

/// Foreign entries that stand where a watched cluster's entries would go.
package struct MergeConflict: Sendable, Hashable, CustomStringConvertible {
    /// One entry in the way: its list, name, where it is, and who owns it (nil: nobody).
    package struct Entry: Sendable, Hashable {
        package var section: KubeconfigSection
        package var name: String
        package var location: SourceLocation?
        package var ownerWatchName: String?
    }

    package var watchName: String
    package var entries: [Entry]

    package var description: String {
        let named = entries.map { entry in
            let place = entry.location.map { "\($0): " } ?? ""
            let owner = entry.ownerWatchName.map { "managed for watch name \"\($0)\"" } ?? "not managed by cce-kubeconfigd"
            return "\(place)\(entry.section) \"\(entry.name)\" is \(owner)"
        }
        return
            "\(named.joined(separator: "; ")), so cluster \"\(watchName)\" was not written; rename or delete that entry, or choose another --name"
    }
}
