import Testing
import YAML

@Suite struct SemanticEqualityTests {
    private func value(_ text: String) throws -> YAMLNode {
        try #require(try YAMLParser.parse(Array("k: \(text)\n".utf8)).root?["k"])
    }

    @Test func aTaggedScalarIsTheSameValueInAnyStyle() throws {
        #expect(try value("!a").hasSameValue(as: value("!a ''")))
        #expect(try value("!custom 1").hasSameValue(as: value("!custom \"1\"")))
    }

    @Test func aTaggedScalarWithOtherTextIsAnotherValue() throws {
        #expect(try !value("!a x").hasSameValue(as: value("!a y")))
        #expect(try !value("!a x").hasSameValue(as: value("!b x")))
    }

    @Test func withoutATagTheStyleStillDecidesTheType() throws {
        #expect(try !value("").hasSameValue(as: value("''")), "a null is not the empty string")
        #expect(try !value("1").hasSameValue(as: value("'1'")), "a number is not a string")
        #expect(try value("~").hasSameValue(as: value("null")))
    }
}
