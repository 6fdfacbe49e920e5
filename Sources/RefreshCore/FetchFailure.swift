import Renewal

/// Why one cluster was not fetched or not written: one sentence free of secrets, and the class
/// of failure that decides when to try again.
public struct FetchFailure: Error, Sendable, Hashable {
    public var message: String
    public var kind: FailureKind

    public init(_ message: String, kind: FailureKind) {
        self.message = message
        self.kind = kind
    }
}
