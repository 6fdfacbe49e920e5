import YAML

/// The YAML layer under arbitrary bytes: a parse either fails with a located error or gives a
/// tree whose spans lie inside the input; that tree re-emits, and the emitted text parses back
/// to a tree of the same value.
///
/// Crashes (libyaml misuse, stack overflow, out-of-range slicing) are found by running this under
/// libFuzzer and AddressSanitizer; the returned violations are the semantic failures.
package enum YAMLRoundTrip {
    /// Checks one input; `nil` when every invariant holds.
    package static func check(_ bytes: [UInt8]) -> FuzzViolation? {
        let document: YAMLDocument
        do throws(YAMLError) {
            document = try YAMLParser.parse(bytes)
        } catch {
            return error.description.isEmpty ? FuzzViolation("a parse error without a message") : nil
        }
        guard let root = document.root else { return nil }
        if let outside = firstSpan(in: root, outside: 0..<bytes.count) {
            return FuzzViolation("a node's span \(outside) lies outside the \(bytes.count) input bytes")
        }
        let emitted: [UInt8]
        do throws(YAMLError) {
            emitted = try YAMLEmitter().emit(root)
        } catch .unwritableTag {
            // Refused with its reason: libyaml has no way to write such a tag so that it reads back.
            return nil
        } catch {
            return FuzzViolation("a parsed tree does not re-emit: \(error)")
        }
        let reparsed: YAMLDocument
        do throws(YAMLError) {
            reparsed = try YAMLParser.parse(emitted)
        } catch {
            return FuzzViolation("the re-emitted text does not parse: \(error)")
        }
        guard let again = reparsed.root else { return FuzzViolation("the re-emitted text holds no document") }
        guard again.hasSameValue(as: root) else {
            return FuzzViolation("the re-emitted text parses to another value")
        }
        return nil
    }

    /// Traps when ``check(_:)`` finds a violation: the libFuzzer entry point's body.
    package static func run(_ bytes: [UInt8]) {
        if let violation = check(bytes) { violation.trap() }
    }

    private static func firstSpan(in node: YAMLNode, outside input: Range<Int>) -> Range<Int>? {
        if let span = node.span?.bytes, span.lowerBound < input.lowerBound || span.upperBound > input.upperBound {
            return span
        }
        switch node.content {
        case .scalar, .alias:
            return nil
        case .sequence(let items, _):
            return items.lazy.compactMap { firstSpan(in: $0, outside: input) }.first
        case .mapping(let pairs, _):
            return pairs.lazy.compactMap { firstSpan(in: $0.key, outside: input) ?? firstSpan(in: $0.value, outside: input) }.first
        }
    }
}
