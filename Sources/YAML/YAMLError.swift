/// Why a text could not be read or written as YAML.
///
/// Each description is one sentence that starts with the location, so a caller only
/// has to put the file name in front: `~/.kube/config:12:3: found a tab character ...`.
package enum YAMLError: Error, Sendable, Hashable, CustomStringConvertible {
    /// libyaml's own scanner or parser message.
    case syntax(problem: String, at: SourceLocation)
    /// The bytes are not UTF-8.
    case invalidUTF8(at: SourceLocation)
    /// More than one document where one is expected.
    case multipleDocuments(secondAt: SourceLocation)
    /// Nesting deeper than the reader allows (libyaml itself has no limit and would overflow the stack).
    case nestingTooDeep(limit: Int, at: SourceLocation)
    /// The same key twice in one mapping (libyaml does not check; kubectl rejects or silently picks one).
    case duplicateKey(String, first: SourceLocation, second: SourceLocation)
    /// `*name` without an earlier `&name`.
    case undefinedAlias(String, at: SourceLocation)
    /// libyaml refused to write the node tree.
    case emitter(problem: String)
    /// A tag libyaml would write in a short form that does not read back: it abbreviates every tag
    /// under `!` or `tag:yaml.org,2002:`, and a short tag ends at a flow indicator (`,[]{}`).
    case unwritableTag(String)

    package var description: String {
        switch self {
        case .syntax(let problem, let location):
            "\(location): \(problem)"
        case .invalidUTF8(let location):
            "\(location): the text is not valid UTF-8"
        case .multipleDocuments(let location):
            "\(location): a second YAML document starts here, but only one is allowed"
        case .nestingTooDeep(let limit, let location):
            "\(location): nesting is deeper than \(limit) levels"
        case .duplicateKey(let key, let first, let second):
            "\(second): key \"\(key)\" appears twice in one mapping (first at \(first))"
        case .undefinedAlias(let name, let location):
            "\(location): alias *\(name) refers to no anchor"
        case .emitter(let problem):
            "cannot write YAML: \(problem)"
        case .unwritableTag(let tag):
            "cannot write YAML: libyaml would shorten the tag <\(tag)> to a form that does not read back (it holds one of , [ ] { })"
        }
    }

    /// Where in the text the problem is, when it has a place.
    package var location: SourceLocation? {
        switch self {
        case .syntax(_, let location), .invalidUTF8(let location), .multipleDocuments(let location),
            .nestingTooDeep(_, let location), .undefinedAlias(_, let location):
            location
        case .duplicateKey(_, _, let second):
            second
        case .emitter, .unwritableTag:
            nil
        }
    }
}
