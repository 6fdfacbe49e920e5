import Testing
import YAML

@Suite struct YAMLEmitterTests {
    private func roundTrip(_ text: String) throws -> String {
        let root = try #require(try YAMLParser.parse(Array(text.utf8)).root)
        return String(decoding: try YAMLEmitter().emit(root), as: UTF8.self)
    }

    /// Parses `text`, emits the tree and parses that: the two trees must hold the same value.
    private func expectSameValueAfterReEmission(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let original = try #require(try YAMLParser.parse(Array(text.utf8)).root, sourceLocation: sourceLocation)
        let emitted = try YAMLEmitter().emit(original)
        let again = try #require(try YAMLParser.parse(emitted).root, sourceLocation: sourceLocation)
        #expect(again.hasSameValue(as: original), "\(String(decoding: emitted, as: UTF8.self))", sourceLocation: sourceLocation)
    }

    @Test func kubectlStyleTextRoundTripsByteForByte() throws {
        let text = """
            apiVersion: v1
            clusters:
            - cluster:
                certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJ
                server: https://127.0.0.1:6443
              name: kind
            contexts:
            - context:
                cluster: kind
                namespace: default
                user: kind
              name: kind
            current-context: kind
            kind: Config
            preferences: {}
            users:
            - name: kind
              user:
                token: abc

            """
        #expect(try roundTrip(text) == text)
    }

    @Test func jsonStaysJSONOnOneLine() throws {
        let text = "{\"kind\": \"Config\", \"clusters\": [{\"name\": \"a\", \"insecure\": true}], \"empty\": {}}\n"
        #expect(try roundTrip(text) == text)
    }

    @Test func longValuesAreNotFolded() throws {
        let long = String(repeating: "QUJD", count: 200)
        #expect(try roundTrip("data: \(long)\n") == "data: \(long)\n")
        #expect(try roundTrip("data: \"\(long)\"\n") == "data: \"\(long)\"\n")
    }

    /// Found by fuzzing: libyaml quotes an empty plain scalar where plain style cannot be empty,
    /// which turned a null into the string "" and made the merge refuse the file.
    @Test(arguments: ["k: [a, ]\n", "k: {proxy-url: }\n", "? \n: v\n"])
    func anEmptyNullStaysANullWhereverItStands(text: String) throws {
        try expectSameValueAfterReEmission(text)
    }

    /// Found by fuzzing: libyaml quotes a plain key ending in `:`, and `0:` must not have read
    /// as a number before (no YAML number ends in `:`).
    @Test func aPlainKeyEndingInAColonKeepsItsValueWhenQuoted() throws {
        #expect(PlainScalar.resolve("0:") == .string)
        try expectSameValueAfterReEmission("k: {0:: 1}\n")
    }

    /// Found by fuzzing: libyaml quotes an empty scalar with an explicit tag (`!a` as a key), and
    /// the quoted one was taken for another value, although its tag, not its style, gives its type.
    @Test(arguments: ["k:\n  !a : x\n", "k: !a\n", "k: !!str\n"])
    func anEmptyTaggedScalarKeepsItsValueWhenQuoted(text: String) throws {
        try expectSameValueAfterReEmission(text)
    }

    /// Found by fuzzing: libyaml shortens these to `!!in,`, `!!a[b` and `!a,b`, which end at the
    /// flow indicator and do not read back; they are refused instead.
    @Test(arguments: ["tag:yaml.org,2002:in,", "tag:yaml.org,2002:a[b", "!a,b", "!x}"])
    func aTagLibyamlWouldShortenBadlyIsRefusedByName(tag: String) {
        #expect(throws: YAMLError.unwritableTag(tag)) {
            try YAMLEmitter().emit(YAMLNode(.scalar("7", style: .singleQuoted), tag: tag))
        }
    }

    /// The same characters are fine where libyaml keeps the tag whole (`!<...>`).
    @Test(arguments: ["k: !<tag:example.com,2000:a,b> x\n", "k: !custom {x: 1}\n", "k: !!binary aGVsbG8=\n"])
    func tagsLibyamlWritesWholeOrShortReadBack(text: String) throws {
        try expectSameValueAfterReEmission(text)
    }

    @Test func unicodeIsWrittenAsItself() throws {
        #expect(try roundTrip("name: \"café\"\n") == "name: \"café\"\n")
    }

    @Test func stringsMadeInCodeReadBackAsStrings() throws {
        for value in ["", "true", "yes", "on", "null", "~", "123", "0o17", "1e3", "y", "a: b", " lead", "- x", "#x"] {
            let emitted = try YAMLEmitter().emit(.mapping(["k": .string(value)]))
            let root = try #require(try YAMLParser.parse(emitted).root)
            let node = try #require(root["k"])
            #expect(node.scalarValue == value)
            #expect(node.content != .scalar(value, style: .plain) || PlainScalar.resolve(value) == .string, "\(value)")
        }
    }

    @Test func anchorsAliasesAndTagsAreWritten() throws {
        let text = "base: &b\n  x: 1\ncopy: *b\nn: !!str 12\n"
        #expect(try roundTrip(text) == text)
    }
}

@Suite struct PlainScalarTests {
    @Test(arguments: ["", "~", "null", "NULL"]) func nullSpellings(_ text: String) {
        #expect(PlainScalar.resolve(text) == .null)
    }

    @Test(arguments: ["y", "Yes", "on", "TRUE", "n", "off", "False"]) func yaml11BoolSpellings(_ text: String) {
        guard case .bool = PlainScalar.resolve(text) else {
            Issue.record("\(text) should be a bool")
            return
        }
    }

    @Test(arguments: ["0", "-12", "0x1F", "0o17", "017", "1_000", "1.5", "1.5e3", ".5", "1:30", ".inf", ".NaN"])
    func numberSpellings(_ text: String) {
        #expect(PlainScalar.resolve(text) == .number)
    }

    @Test(arguments: ["prod", "https://127.0.0.1:6443", "LS0tLS1CRUdJTg==", "1.2.3.4.5x", "e3", "0x", "v1"])
    func plainStrings(_ text: String) {
        #expect(PlainScalar.resolve(text) == .string)
    }
}
