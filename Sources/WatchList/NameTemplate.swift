/// A `context_name` template: how a cluster's watch name is made from its console name, region
/// and project, e.g. `{name}` (the default), `{region}-{name}` or `{project}-{name}`.
///
/// The watch name `N` names the entries `N-internal`, `N-external` and user `N`, so a template
/// that lets two clusters of a fleet share a name is a configuration error, not a silent overwrite.
package struct NameTemplate: Sendable, Hashable, CustomStringConvertible {
    /// A `{field}` of the template.
    package enum Field: String, Sendable, Hashable, CaseIterable {
        /// The cluster's console name (`metadata.name`).
        case name
        /// The region id, `cn-north-4`.
        case region
        /// The project's name (`cn-north-4`, `cn-north-4_dev`), or its id when only `project_id` names it.
        case project
    }

    /// One piece of the template, in order.
    package enum Part: Sendable, Hashable {
        case literal(String)
        case field(Field)
    }

    /// `{name}`: the console name as it is.
    package static let `default` = NameTemplate(parts: [.field(.name)])

    package var parts: [Part]

    package init(parts: [Part]) {
        self.parts = parts
    }

    /// Why a text is not a template; each reads after "context_name ...".
    package enum Problem: Error, Sendable, Hashable, CustomStringConvertible {
        case empty
        case unknownField(String)
        case unclosedBrace
        case strayClosingBrace
        case notInWatchNames(Character)

        package var description: String {
            let fields = Field.allCases.map { "{\($0.rawValue)}" }.joined(separator: ", ")
            switch self {
            case .empty: return "is empty; leave it out for {name}"
            case .unknownField(let field): return "has an unknown field {\(field)}; the fields are \(fields)"
            case .unclosedBrace: return "has a \"{\" without its \"}\""
            case .strayClosingBrace: return "has a \"}\" without its \"{\""
            case .notInWatchNames(let character):
                return
                    "holds \"\(character)\", which a watch name cannot: outside the fields use lowercase letters, digits, \"-\", \".\" and \"_\""
            }
        }
    }

    /// The template, or what is wrong with it, and at which offset (in characters) of `text`.
    package static func parse(_ text: String) -> Result<NameTemplate, Located<Problem>> {
        guard !text.isEmpty else { return .failure(Located(.empty, offset: 0)) }
        var parts: [Part] = []
        var literal = ""
        var index = text.startIndex
        var offset = 0
        while index < text.endIndex {
            let character = text[index]
            switch character {
            case "{":
                guard let close = text[index...].firstIndex(of: "}") else { return .failure(Located(.unclosedBrace, offset: offset)) }
                let name = String(text[text.index(after: index)..<close])
                guard let field = Field(rawValue: name) else { return .failure(Located(.unknownField(name), offset: offset)) }
                if !literal.isEmpty { parts.append(.literal(literal)) }
                literal = ""
                parts.append(.field(field))
                offset += text[index...close].count
                index = text.index(after: close)
                continue
            case "}":
                return .failure(Located(.strayClosingBrace, offset: offset))
            case "a"..."z", "0"..."9", "-", ".", "_":
                literal.append(character)
            default:
                return .failure(Located(.notInWatchNames(character), offset: offset))
            }
            offset += 1
            index = text.index(after: index)
        }
        if !literal.isEmpty { parts.append(.literal(literal)) }
        return .success(NameTemplate(parts: parts))
    }

    /// Whether the template uses `field`.
    package func uses(_ field: Field) -> Bool {
        parts.contains(.field(field))
    }

    /// The watch name for one cluster (not checked: see ``WatchName/isValid(_:)``).
    package func render(name: String, region: String, project: String) -> String {
        parts.map { part in
            switch part {
            case .literal(let text): text
            case .field(.name): name
            case .field(.region): region
            case .field(.project): project
            }
        }.joined()
    }

    /// The template as written.
    package var description: String {
        parts.map { part in
            switch part {
            case .literal(let text): text
            case .field(let field): "{\(field.rawValue)}"
            }
        }.joined()
    }
}

/// A value and the character offset in the text it was found at.
package struct Located<Value: Sendable & Hashable>: Sendable, Hashable {
    package var value: Value
    package var offset: Int

    package init(_ value: Value, offset: Int) {
        self.value = value
        self.offset = offset
    }
}

extension Located: Error where Value: Error {}
