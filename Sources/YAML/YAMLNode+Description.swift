extension YAMLNode: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// A one-line flow rendering for logs and test failures, with the value of every key that
    /// holds credentials (`*-data`, tokens, passwords, secrets) shown as `<redacted>`.
    package var description: String {
        render(redacting: false)
    }

    package var debugDescription: String { description }

    /// No children: reflection (`dump`, test failure messages) must not reach the raw values.
    package var customMirror: Mirror { Mirror(self, children: [:]) }

    private func render(redacting: Bool) -> String {
        if redacting, case .scalar = content { return "<redacted>" }
        switch content {
        case .scalar(let text, _): return text.contains(where: { " ,:{}[]\"".contains($0) }) || text.isEmpty ? "\"\(text)\"" : text
        case .alias(let name): return "*\(name)"
        case .sequence(let items, _): return "[" + items.map { $0.render(redacting: redacting) }.joined(separator: ", ") + "]"
        case .mapping(let pairs, _):
            return "{"
                + pairs.map { pair in
                    let key = pair.key.render(redacting: false)
                    return "\(key): \(pair.value.render(redacting: redacting || Self.holdsSecret(key)))"
                }.joined(separator: ", ") + "}"
        }
    }

    /// Whether a mapping key names a credential.
    package static func holdsSecret(_ key: String) -> Bool {
        let lowered = key.lowercased()
        return lowered.hasSuffix("-data") || lowered.contains("token") || lowered.contains("password") || lowered.contains("secret")
    }
}
