import Logging

/// Replaces metadata values whose keys look secret by ``placeholder`` before a line is written.
///
/// Defense in depth: callers never log AK/SK, tokens, passwords or key and certificate data (design
/// §7), so this only catches a mistake, by key name alone, at any depth of nested metadata.
package struct SecretRedaction: Sendable {
    /// What a secret-looking value is written as.
    package static let placeholder: Logger.MetadataValue = "<redacted>"

    private let isSecretKey: @Sendable (String) -> Bool

    /// A redaction that hides the values of the keys `isSecretKey` returns `true` for.
    package init(isSecretKey: @escaping @Sendable (String) -> Bool) {
        self.isSecretKey = isSecretKey
    }

    /// Keys read as words (split at `-`, `_`, `.`, other punctuation and lower-to-upper case
    /// changes, lowercased): any word containing `token`, `password` or `secret`; a last word
    /// `data` after others (`client-key-data`, `clientKeyData`); a word `sk` or `ak`
    /// (`HUAWEICLOUD_SDK_SK`). It errs towards hiding: `user-data` is hidden too.
    package static let secretLookingKeys = SecretRedaction(isSecretKey: looksSecret)

    /// `metadata` with every secret-looking key's value replaced, in nested dictionaries too.
    package func redact(_ metadata: Logger.Metadata) -> Logger.Metadata {
        metadata.reduce(into: [:]) { redacted, entry in
            redacted[entry.key] = isSecretKey(entry.key) ? Self.placeholder : redact(entry.value)
        }
    }

    private func redact(_ value: Logger.MetadataValue) -> Logger.MetadataValue {
        switch value {
        case .string, .stringConvertible: value
        case .dictionary(let dictionary): .dictionary(redact(dictionary))
        case .array(let values): .array(values.map(redact))
        }
    }

    static func looksSecret(_ key: String) -> Bool {
        let words = words(of: key)
        if words.contains(where: { $0.contains("token") || $0.contains("password") || $0.contains("secret") }) {
            return true
        }
        if words.count > 1, words.last == "data" { return true }
        return words.contains("sk") || words.contains("ak")
    }

    private static func words(of key: String) -> [String] {
        var words: [String] = []
        var current = ""
        var previousWasLowercase = false
        for character in key {
            guard character.isLetter || character.isNumber else {
                if !current.isEmpty { words.append(current) }
                current = ""
                previousWasLowercase = false
                continue
            }
            if character.isUppercase, previousWasLowercase {
                words.append(current)
                current = ""
            }
            current += character.lowercased()
            previousWasLowercase = character.isLowercase || character.isNumber
        }
        if !current.isEmpty { words.append(current) }
        return words
    }
}
