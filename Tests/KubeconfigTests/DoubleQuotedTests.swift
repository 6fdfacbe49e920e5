import Foundation
import Testing
import YAML

@testable import Kubeconfig

@Suite struct DoubleQuotedTests {
    @Test(arguments: ["plain", "", "true", "a \"quoted\" \\ path", "tab\tnew\nline\r", "bell\u{07} del\u{7F} c1\u{85}", "café 日本"])
    func readsBackAsTheSameStringInYAMLAndJSON(text: String) throws {
        let quoted = DoubleQuoted.text(text)
        let yaml = try YAMLParser.parse(Array("k: \(quoted)\n".utf8)).root?["k"]
        #expect(yaml?.scalarValue == text)
        let json = try JSONSerialization.jsonObject(with: Data("[\(quoted)]".utf8)) as? [String]
        #expect(json == [text])
    }
}
