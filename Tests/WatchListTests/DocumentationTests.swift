import Foundation
import Testing

@testable import WatchList

/// `docs/configuration.md` is the reference of every key; it must not fall behind the parser.
@Suite struct DocumentationTests {
    private static let documentation: String = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return (try? String(contentsOf: root.appendingPathComponent("docs/configuration.md"), encoding: .utf8)) ?? ""
    }()

    @Test(arguments: ConfigKeys.topLevel + ConfigKeys.cluster + ConfigKeys.discoveryRule + ConfigKeys.anyCredentialSet)
    func everyAcceptedKeyIsDocumented(key: String) {
        #expect(Self.documentation.contains("`\(key)`"), "docs/configuration.md does not mention `\(key)`")
    }
}
