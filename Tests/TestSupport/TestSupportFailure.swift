/// A helper could not prepare what a test needs (a directory, a file, a program): the test
/// stops with this sentence rather than checking something half set up.
package struct TestSupportFailure: Error, CustomStringConvertible {
    package var description: String

    package init(_ description: String) {
        self.description = description
    }
}
