import Renewal

/// Why one cluster was not fetched or not written: one sentence free of secrets, and the class
/// of failure that decides when to try again.
package struct FetchFailure: Error, Sendable, Hashable {
    package var message: String
    package var kind: FailureKind
    /// The limit a gateway's 429 stated, for its credential set's pacer.
    package var statedRateLimit: RequestPacer.StatedLimit?

    package init(_ message: String, kind: FailureKind, statedRateLimit: RequestPacer.StatedLimit? = nil) {
        self.message = message
        self.kind = kind
        self.statedRateLimit = statedRateLimit
    }

    /// The sentence `status`, `STATUS=`, the log and `sync` show: one where nothing was sent says
    /// so, since the API never saw it and no circuit or backoff of the API is involved.
    package var sentence: String {
        kind == .local ? "not sent: \(message)" : message
    }
}
