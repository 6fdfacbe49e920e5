/// Answers the requests of one endpoint: the CCE API, IAM, or a cluster's API server.
///
/// Called off the event loop, so an answer may take time (a key generation) without
/// stalling other connections.
protocol HTTPResponder: Sendable {
    func respond(to request: SimulatedRequest) async -> SimulatedResponse
}
