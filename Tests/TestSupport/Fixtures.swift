import Foundation

/// The committed test data under `Tests/Fixtures` and `config/examples`, found from this file's
/// path (`Tests/TestSupport/Fixtures.swift`), so that no test depends on the working directory.
package enum Fixtures {
    /// The repository's root.
    package static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The bytes of the file at `relativePath` in the repository.
    package static func bytes(_ relativePath: String) throws -> [UInt8] {
        Array(try Data(contentsOf: repository.appendingPathComponent(relativePath)))
    }

    /// The same, as UTF-8 text.
    package static func text(_ relativePath: String) throws -> String {
        String(decoding: try bytes(relativePath), as: UTF8.self)
    }

    /// The absolute path of a fixture, for passing to a command.
    package static func path(_ relativePath: String) -> String {
        repository.appendingPathComponent(relativePath).path
    }
}
