import YAML

/// One thing wrong with a watch-list config, and where it is.
///
/// Messages never quote a secret; they name keys, and quote only values that cannot be one
/// (watch names, enumerated values such as `api`).
package struct ConfigProblem: Error, Sendable, Hashable, CustomStringConvertible {
    /// The 1-based line and column in the config, when the problem has a place.
    package var location: SourceLocation?
    package var message: String

    package init(_ message: String, at location: SourceLocation?) {
        self.message = message
        self.location = location
    }

    /// `line:column: message`, or the message alone.
    package var description: String {
        location.map { "\($0): \(message)" } ?? message
    }

    /// `path:line:column: message` (the form editors and compilers use), or `path: message`.
    package func described(in path: String) -> String {
        location.map { "\(path):\($0): \(message)" } ?? "\(path): \(message)"
    }
}

extension ConfigProblem {
    /// The YAML layer's error, its location moved out of the message.
    init(_ error: YAMLError) {
        var message = error.description
        if let location = error.location, message.hasPrefix("\(location): ") {
            message.removeFirst("\(location): ".count)
        }
        self.init(message, at: error.location)
    }
}
