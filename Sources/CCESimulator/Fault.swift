/// A way one cluster's cluster-certificate API misbehaves, injected by configuration or at run
/// time with ``RunningSimulator/setFault(_:forCluster:)``.
///
/// A fault applies to a request that authenticated and named an existing cluster, so a client
/// meets it exactly where it would meet the real failure: after the gateway let it through.
/// The API servers and IAM are never affected.
///
/// Each fault has a text form, used by the configuration file and the command line:
/// `unauthorized`, `forbidden`, `not-found`, `throttled[:SECONDS]`, `internal-error`,
/// `service-unavailable`, `invalid-json`, `truncated-body`, `oversized-body[:BYTES]`,
/// `wrong-shape`, `bad-base64`, `http-server` and `hang`.
package enum Fault: Sendable, Hashable {
    /// 401 with CCE's `CCE.01401001` "Authorization failed." body.
    case unauthorized
    /// 403 with CCE's `CCE.01403001` "Forbidden." body.
    case forbidden
    /// 404 with CCE's `CCE.01404001` "Resource not found." body.
    case notFound
    /// 429 with the gateway's `APIGW.0308` throttling body and `Retry-After: <seconds>`.
    case throttled(retryAfterSeconds: Int)
    /// 500 with CCE's `CCE.01500001` "Internal error." body.
    case internalError
    /// 503 with the gateway's `APIGW.0201` "Backend unavailable." body.
    case serviceUnavailable
    /// 200 with a JSON document cut off in the middle (the `Content-Length` is right).
    case invalidJSON
    /// 200 announcing the full answer's `Content-Length`, sending half of it, then closing.
    case truncatedBody
    /// 200 with a valid JSON document of `bytes` bytes, streamed in chunks without a length.
    case oversizedBody(bytes: Int)
    /// 200 with valid JSON in the wrong shape: `clusters` is an object, not a list.
    case wrongShape
    /// 200 with a full answer whose `client-certificate-data` is not base64.
    case badBase64
    /// 200 with a full answer whose servers are `http://` URLs.
    case plainHTTPServer
    /// Reads the request and never answers, until the client gives up or the simulator stops.
    case hang

    /// The `Retry-After` of ``throttled(retryAfterSeconds:)`` when the text form gives none.
    package static let defaultRetryAfterSeconds = 1
    /// The size of ``oversizedBody(bytes:)`` when the text form gives none: 2 MiB, twice the
    /// 1 MiB a client is expected to accept.
    package static let defaultOversizedBytes = 2 << 20
}

extension Fault: LosslessStringConvertible {
    /// Parses the text form; `nil` for an unknown name or a parameter that is not a positive number.
    package init?(_ description: String) {
        let parts = description.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let name = String(parts[0])
        var parameter: Int?
        if parts.count == 2 {
            guard let number = Int(parts[1]), number > 0 else { return nil }
            parameter = number
        }
        switch name {
        case "throttled":
            self = .throttled(retryAfterSeconds: parameter ?? Self.defaultRetryAfterSeconds)
        case "oversized-body":
            self = .oversizedBody(bytes: parameter ?? Self.defaultOversizedBytes)
        default:
            guard parameter == nil, let fault = Self.withoutParameter.first(where: { $0.description == name }) else {
                return nil
            }
            self = fault
        }
    }

    package var description: String {
        switch self {
        case .unauthorized: "unauthorized"
        case .forbidden: "forbidden"
        case .notFound: "not-found"
        case .throttled(let seconds): "throttled:\(seconds)"
        case .internalError: "internal-error"
        case .serviceUnavailable: "service-unavailable"
        case .invalidJSON: "invalid-json"
        case .truncatedBody: "truncated-body"
        case .oversizedBody(let bytes): "oversized-body:\(bytes)"
        case .wrongShape: "wrong-shape"
        case .badBase64: "bad-base64"
        case .plainHTTPServer: "http-server"
        case .hang: "hang"
        }
    }

    /// The faults that take no parameter.
    private static let withoutParameter: [Fault] = [
        .unauthorized, .forbidden, .notFound, .internalError, .serviceUnavailable, .invalidJSON,
        .truncatedBody, .wrongShape, .badBase64, .plainHTTPServer, .hang,
    ]
}

extension Fault: Codable {
    package init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let fault = Fault(text) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "\"\(text)\" is not a fault; expected one of unauthorized, forbidden, not-found, "
                    + "throttled[:SECONDS], internal-error, service-unavailable, invalid-json, truncated-body, "
                    + "oversized-body[:BYTES], wrong-shape, bad-base64, http-server, hang"
            )
        }
        self = fault
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
