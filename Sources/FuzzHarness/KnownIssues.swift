import YAML

/// Product bugs the fuzzers found that are reported but not fixed yet. Each is recognised
/// narrowly, so that fuzzing can go on past it instead of stopping at the same input every run;
/// remove an entry once its fix lands (and add its reproducers to the seed corpus then).
enum KnownIssues {
    /// **Re-emission can turn a plain scalar into a string of another type.** libyaml's emitter
    /// keeps a scalar plain only where plain style can be written: a key ending in `:` (`0::`)
    /// comes out single-quoted. ``YAMLNode/hasSameValue(as:)`` resolves the plain original with
    /// `PlainScalar.resolve`, which cautiously calls `0:` a number, and the quoted copy a string,
    /// so the value differs, and the merge's final check refuses a block kubeconfig with flow
    /// lists holding such a scalar (re-emission is how those files are merged). The same issue
    /// for empty nulls (`{a: }`) was fixed in the emitter (commit 439dec4). Reproducers:
    /// `Tests/Fuzz/known/plain-key-ending-in-colon.yaml` and, for the merge (a kubeconfig that
    /// kubectl reads and `import` refuses), `Tests/Fuzz/known/merge-plain-key-ending-in-colon`.
    ///
    /// Whether `copy` has the value of `original` but for scalars the emitter quoted: the same
    /// text, plain in `original` and quoted in `copy`.
    static func sameButRequoted(_ copy: YAMLNode, _ original: YAMLNode) -> Bool {
        guard copy.tag == original.tag else { return false }
        switch (copy.content, original.content) {
        case (.scalar(let text, let style), .scalar(let originalText, let originalStyle)):
            return copy.hasSameValue(as: original) || (text == originalText && originalStyle == .plain && style != .plain)
        case (.sequence(let items, _), .sequence(let originalItems, _)):
            return items.count == originalItems.count && zip(items, originalItems).allSatisfy { sameButRequoted($0, $1) }
        case (.mapping(let pairs, _), .mapping(let originalPairs, _)):
            return pairs.count == originalPairs.count && zip(pairs, originalPairs).allSatisfy {
                sameButRequoted($0.key, $1.key) && sameButRequoted($0.value, $1.value)
            }
        case (.alias(let name), .alias(let originalName)):
            return name == originalName
        default:
            return false
        }
    }

    /// Whether re-emitting `root` meets the issue above: the round trip changes its value
    /// only by quoting plain scalars.
    static func reemissionRequotes(_ root: YAMLNode) -> Bool {
        guard let emitted = try? YAMLEmitter().emit(root), let again = try? YAMLParser.parse(emitted).root else { return false }
        return !again.hasSameValue(as: root) && sameButRequoted(again, root)
    }
}
