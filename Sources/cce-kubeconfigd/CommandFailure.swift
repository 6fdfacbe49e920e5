/// An operation that failed for a reason the user can act on: printed as one sentence, exit code 1.
struct CommandFailure: Error, CustomStringConvertible {
    var message: String

    init(_ message: String) {
        self.message = message
    }

    var description: String { message }
}
