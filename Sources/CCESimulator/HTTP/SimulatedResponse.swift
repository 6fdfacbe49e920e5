import NIOHTTP1

/// What the simulator sends back, including the broken ways a fault sends it.
enum SimulatedResponse: Sendable {
    /// A normal response with a `Content-Length`.
    case complete(status: HTTPResponseStatus, headers: HTTPHeaders, body: [UInt8])
    /// Announces `Content-Length: body.count`, sends only the first `sentBytes`, then closes.
    case truncated(status: HTTPResponseStatus, headers: HTTPHeaders, body: [UInt8], sentBytes: Int)
    /// Sends `body` with chunked transfer encoding, one `chunkSize` piece at a time, each after
    /// the previous one reached the socket, so a client that stops reading stops the sending.
    case streamed(status: HTTPResponseStatus, headers: HTTPHeaders, body: [UInt8], chunkSize: Int)
    /// Sends nothing and keeps the connection open until the client or shutdown closes it.
    case hang

    /// A complete JSON response.
    static func json(_ status: HTTPResponseStatus, _ body: JSONValue, headers: HTTPHeaders = [:]) -> SimulatedResponse {
        var headers = headers
        headers.replaceOrAdd(name: "Content-Type", value: "application/json")
        return .complete(status: status, headers: headers, body: body.bytes)
    }
}
