/// A time limit on a whole piece of async work, body streaming included, which
/// async-http-client's own `deadline:` does not cover once the head has arrived.
enum Deadline {
    /// Thrown by ``run(within:_:)`` when the limit passes first.
    struct Exceeded: Error {}

    /// The result of `operation`, or ``Exceeded`` once `limit` has passed; the operation is then
    /// cancelled (async-http-client closes the connection).
    static func run<Result: Sendable>(
        within limit: Duration,
        _ operation: @escaping @Sendable () async throws -> Result
    ) async throws -> Result {
        try await withThrowingTaskGroup(of: Result.self) { group in
            group.addTask(operation: operation)
            group.addTask {
                try await Task.sleep(for: limit)
                throw Exceeded()
            }
            defer { group.cancelAll() }
            guard let first = try await group.next() else { throw CancellationError() }
            return first
        }
    }
}
