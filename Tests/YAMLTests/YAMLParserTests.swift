import Testing
import YAML

@Suite struct YAMLParserTests {
    private func parse(_ text: String) throws -> YAMLDocument {
        try YAMLParser.parse(Array(text.utf8))
    }

    private func text(_ bytes: [UInt8], _ range: Range<Int>?) -> String {
        guard let range else { return "<no span>" }
        return String(decoding: bytes[range], as: UTF8.self)
    }

    @Test func mappingKeepsKeysInSourceOrder() throws {
        let root = try #require(try parse("b: 1\na: 2\nc: 3\n").root)
        #expect(root.pairs?.map { $0.key.scalarValue } == ["b", "a", "c"])
    }

    @Test func scalarSpansAreByteOffsetsEvenAfterMultiByteCharacters() throws {
        let source = "name: \"é日本\" # ü\nserver: https://x:5443\n"
        let bytes = Array(source.utf8)
        let root = try #require(try YAMLParser.parse(bytes).root)
        let server = try #require(root["server"])
        #expect(text(bytes, server.span?.bytes) == "https://x:5443")
        #expect(server.span?.start == SourceLocation(line: 2, column: 9))
        #expect(text(bytes, root["name"]?.span?.bytes) == "\"é日本\"")
    }

    /// The non-ASCII check reads eight bytes at a time: one multi-byte character anywhere, in a
    /// whole word, across the last word's end or in the bytes after it, must still switch on the
    /// byte table. The character ends its own scalar, so that scalar's span shows the table.
    @Test(arguments: 0..<24)
    func aMultiByteCharacterAtAnyOffsetIsCountedInSpans(padding: Int) throws {
        let value = String(repeating: "x", count: padding) + "é"
        let bytes = Array("server: https://x:5443\nc: \(value)\n".utf8)
        let root = try #require(try YAMLParser.parse(bytes).root)
        #expect(text(bytes, root["c"]?.span?.bytes) == value)
    }

    @Test func byteOrderMarkIsSkippedAndCountedInSpans() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("k: v\n".utf8)
        let document = try YAMLParser.parse(bytes)
        let value = try #require(document.root?["k"])
        #expect(document.leadingBytesSkipped == 3)
        #expect(text(bytes, value.span?.bytes) == "v")
    }

    @Test func scalarStylesAndExplicitTagsAreKept() throws {
        let root = try #require(try parse("a: plain\nb: 'single'\nc: \"double\"\nd: |\n  lit\ne: !!str 12\n").root)
        #expect(root["a"]?.content == .scalar("plain", style: .plain))
        #expect(root["b"]?.content == .scalar("single", style: .singleQuoted))
        #expect(root["c"]?.content == .scalar("double", style: .doubleQuoted))
        #expect(root["d"]?.content == .scalar("lit\n", style: .literal))
        #expect(root["e"]?.tag == "tag:yaml.org,2002:str")
        #expect(root["a"]?.tag == nil)
    }

    @Test func flowAndBlockCollectionsAreTold() throws {
        let root = try #require(try parse("{\"a\": [1, 2], \"b\": {}}").root)
        #expect(root.collectionStyle == .flow)
        #expect(root["a"]?.collectionStyle == .flow)
        let block = try #require(try parse("a:\n- 1\n").root)
        #expect(block.collectionStyle == .block)
        #expect(block["a"]?.collectionStyle == .block)
    }

    @Test func contentEndOfBlockCollectionStopsBeforeTrailingComments() throws {
        let source = "list:\n- a: 1\n  b: two\n# trailing comment\n\nnext: x\n"
        let bytes = Array(source.utf8)
        let list = try #require(try YAMLParser.parse(bytes).root?["list"])
        let end = try #require(list.contentEnd)
        #expect(String(decoding: bytes[..<end], as: UTF8.self).hasSuffix("b: two"))
        #expect((list.span?.bytes.upperBound ?? 0) > end)
    }

    @Test func emptyTextAndCommentsOnlyHaveNoRoot() throws {
        #expect(try parse("").root == nil)
        #expect(try parse("# nothing here\n\n").root == nil)
    }

    @Test func invalidUTF8IsRefusedWithItsLocation() {
        let bytes = Array("a: ok\nb: x".utf8) + [0xFF] + Array("\n".utf8)
        #expect(throws: YAMLError.invalidUTF8(at: SourceLocation(line: 2, column: 5))) {
            try YAMLParser.parse(bytes)
        }
    }

    @Test func overlongAndSurrogateEncodingsAreNotUTF8() {
        #expect(throws: YAMLError.self) { try YAMLParser.parse([0x61, 0x3A, 0x20, 0xC0, 0xAF]) }
        #expect(throws: YAMLError.self) { try YAMLParser.parse([0x61, 0x3A, 0x20, 0xED, 0xA0, 0x80]) }
    }

    @Test func secondDocumentIsRefusedNamingWhereItStarts() {
        #expect(throws: YAMLError.multipleDocuments(secondAt: SourceLocation(line: 2, column: 1))) {
            try parse("a: 1\n---\nb: 2\n")
        }
    }

    @Test func syntaxErrorCarriesLineAndColumn() throws {
        let error = try #require(throws: YAMLError.self) { try parse("a: 1\nb: [1, 2\nc: 3\n") }
        #expect(error.location == SourceLocation(line: 3, column: 2))
        #expect(error.description == "3:2: did not find expected ',' or ']' while parsing a flow sequence that starts at 2:4")
    }

    @Test func tabIndentationIsASyntaxError() throws {
        let error = try #require(throws: YAMLError.self) { try parse("a:\n\tb: 1\n") }
        #expect(error.location?.line == 2)
    }

    @Test func duplicateKeyIsRefusedWithBothLocations() {
        #expect(throws: YAMLError.duplicateKey("a", first: .init(line: 1, column: 1), second: .init(line: 3, column: 1))) {
            try parse("a: 1\nb: 2\na: 3\n")
        }
    }

    @Test func duplicateKeyInALargeMappingIsRefusedWithBothLocations() {
        let keys = (0..<40).map { "k\($0): \($0)\n" }.joined()
        #expect(throws: YAMLError.duplicateKey("k7", first: .init(line: 8, column: 1), second: .init(line: 41, column: 1))) {
            try parse(keys + "k7: again\n")
        }
    }

    @Test func deepNestingIsRefusedInsteadOfOverflowingTheStack() {
        let deep = String(repeating: "[", count: 100_000)
        #expect(throws: YAMLError.nestingTooDeep(limit: YAMLParser.defaultMaxDepth, at: .init(line: 1, column: 65))) {
            try parse(deep)
        }
    }

    @Test func aliasesResolveToTheirAnchor() throws {
        let document = try parse("base: &b {x: 1}\ncopy: *b\n")
        #expect(document.containsAliases)
        let copy = try #require(document.root?["copy"])
        #expect(document.resolving(copy)["x"]?.scalarValue == "1")
    }

    @Test func undefinedAliasIsRefused() {
        #expect(throws: YAMLError.self) { try parse("a: *nowhere\n") }
    }
}
