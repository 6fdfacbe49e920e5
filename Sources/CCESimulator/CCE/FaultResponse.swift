import NIOHTTP1

extension Fault {
    /// What a cluster with this fault sends instead of the normal answer.
    ///
    /// `answer` issues a real certificate; it is called only by the faults that damage a real
    /// answer, so the error faults answer at once, and a request that the damaging faults cannot
    /// even issue for (a bad `duration`) still gets its 400.
    ///
    /// - Parameter headers: The headers of a successful answer (content type, request id, port id).
    func response(
        headers: HTTPHeaders,
        requestID: String,
        answer: () async throws(APIError) -> KubeconfigAnswer
    ) async throws(APIError) -> SimulatedResponse {
        switch self {
        case .unauthorized:
            return APIError.authorizationFailed.response(requestID: requestID)
        case .forbidden:
            return APIError.forbidden.response(requestID: requestID)
        case .notFound:
            return APIError.resourceNotFound.response(requestID: requestID)
        case .throttled(let seconds):
            return APIError.throttled(retryAfterSeconds: seconds).response(requestID: requestID)
        case .internalError:
            return APIError.internalError.response(requestID: requestID)
        case .serviceUnavailable:
            return APIError.backendUnavailable.response(requestID: requestID)
        case .oversizedBody(let bytes):
            return .streamed(status: .ok, headers: headers, body: Self.padding(bytes), chunkSize: 64 << 10)
        case .hang:
            return .hang
        case .invalidJSON:
            let body = try await answer().document.bytes
            return .complete(status: .ok, headers: headers, body: Array(body.prefix(body.count / 2)))
        case .truncatedBody:
            let body = try await answer().document.bytes
            return .truncated(status: .ok, headers: headers, body: body, sentBytes: body.count / 2)
        case .wrongShape:
            return .complete(status: .ok, headers: headers, body: try await answer().wrongShapeDocument.bytes)
        case .badBase64:
            var damaged = try await answer()
            // `*` is in no base64 alphabet; the length stays a multiple of four.
            damaged.clientCertificateData = "****" + damaged.clientCertificateData.dropFirst(4)
            return .complete(status: .ok, headers: headers, body: damaged.document.bytes)
        case .plainHTTPServer:
            var damaged = try await answer()
            damaged.internalServer = "http" + damaged.internalServer.dropFirst("https".count)
            damaged.externalServer = damaged.externalServer.map { "http" + $0.dropFirst("https".count) }
            return .complete(status: .ok, headers: headers, body: damaged.document.bytes)
        }
    }

    /// A valid JSON document of exactly `bytes` bytes (at least the frame's 44) that starts like
    /// a kubeconfig, so only a size limit stops a client from reading all of it.
    private static func padding(_ bytes: Int) -> [UInt8] {
        let head = Array(#"{"kind":"Config","apiVersion":"v1","padding":""#.utf8)
        let tail = Array(#""}"#.utf8)
        return head + [UInt8](repeating: UInt8(ascii: "A"), count: max(0, bytes - head.count - tail.count)) + tail
    }
}
