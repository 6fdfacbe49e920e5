import WatchList

/// The INI file Huawei's SDKs read their keys from, `~/.huaweicloud/credentials`:
///
/// ```ini
/// [basic]
/// ak = <AK>
/// sk = <SK>
/// project_id = <project_id>
/// ```
///
/// Read like Python's `configparser`, which the SDK uses: `key = value` or `key: value`, keys
/// case-insensitive, `#` and `;` start comment lines. A value wrapped in one pair of quotes is
/// unwrapped, as Go's INI reader does, since quotes are never part of a key.
struct SDKCredentialsFile: Sendable, Hashable {
    /// The section regional services read (`[global]` is for global ones).
    static let basicSection = "basic"

    /// Keys (lower-cased) and values per section name.
    var sections: [String: [String: String]]

    /// Parses the file's text.
    ///
    /// - Throws: a reason naming the line, never quoting it (it may hold a key).
    init(parsing text: String) throws(CredentialFileProblem) {
        var sections: [String: [String: String]] = [:]
        var current: String?
        // `isNewline` also splits "\r\n", which Swift reads as one character.
        for (index, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = rawLine.trimmingWhitespace
            let number = index + 1
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]"), line.count > 2 else {
                    throw CredentialFileProblem(line: number, reason: "is not a [section] header")
                }
                let name = String(line.dropFirst().dropLast().trimmingWhitespace)
                guard sections[name] == nil else { throw CredentialFileProblem(line: number, reason: "repeats the section [\(name)]") }
                sections[name] = [:]
                current = name
                continue
            }
            guard let delimiter = line.firstIndex(where: { $0 == "=" || $0 == ":" }) else {
                throw CredentialFileProblem(line: number, reason: "is neither a [section], a key = value pair nor a comment")
            }
            guard let section = current else { throw CredentialFileProblem(line: number, reason: "holds a key before any [section]") }
            let key = line[..<delimiter].trimmingWhitespace.lowercased()
            guard !key.isEmpty else { throw CredentialFileProblem(line: number, reason: "has no key before its = sign") }
            guard sections[section]?[key] == nil else {
                throw CredentialFileProblem(line: number, reason: "repeats the key \(key) in [\(section)]")
            }
            sections[section]?[key] = Self.unquoted(line[line.index(after: delimiter)...].trimmingWhitespace)
        }
        self.sections = sections
    }

    private static func unquoted(_ value: Substring) -> String {
        for quote in ["\"", "'"] where value.count >= 2 && value.hasPrefix(quote) && value.hasSuffix(quote) {
            return String(value.dropFirst().dropLast())
        }
        return String(value)
    }
}

/// A line of a credentials file that cannot be read, and why.
struct CredentialFileProblem: Error, Sendable, Hashable, CustomStringConvertible {
    var line: Int
    var reason: String

    var description: String {
        "line \(line) \(reason)"
    }
}
