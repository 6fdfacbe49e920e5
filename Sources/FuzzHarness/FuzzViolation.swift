/// A broken invariant found by a fuzz check: what was expected and what happened instead.
///
/// The checks return it rather than trap, so that the seed-corpus test can name the input that
/// failed and go on; the libFuzzer entry points trap with ``trap()`` so that libFuzzer saves the
/// input as a crash.
package struct FuzzViolation: Error, Sendable, Hashable, CustomStringConvertible {
    package var description: String

    package init(_ description: String) {
        self.description = description
    }

    /// Stops the process with the description, which libFuzzer reports with the input.
    package func trap() -> Never {
        fatalError("fuzz invariant violated: \(description)")
    }
}
