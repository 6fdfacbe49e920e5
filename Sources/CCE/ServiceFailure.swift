#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A failed exchange before it is tied to a cluster and a credential set: what went wrong, and
/// what the answer said about it. ``CCEClient`` turns it into a ``CCEError``.
///
/// Kept apart from ``CCEError`` because one IAM login may serve several clusters at once, and
/// each of them reports the failure under its own name.
struct ServiceFailure: Error, Sendable, Hashable {
    var kind: CCEError.Kind
    var requestID: String?
    var serviceError: ServiceErrorBody?

    init(_ kind: CCEError.Kind, requestID: String? = nil, serviceError: ServiceErrorBody? = nil) {
        self.kind = kind
        self.requestID = requestID
        self.serviceError = serviceError
    }

    /// Classifies a failed answer by its status: 401, 403, 404, 429 with its
    /// `Retry-After`, 5xx, anything else. The request id comes from `X-Request-Id`, or from the
    /// gateway's body; the body is read in any of the three error shapes.
    ///
    /// - Returns: `nil` for a 2xx answer, which is not a failure.
    init?(classifying answer: HTTPAnswer, now: Date) {
        guard !answer.isSuccess else { return nil }
        let kind: CCEError.Kind =
            switch answer.status {
            case 401: .authentication
            case 403: .forbidden
            case 404: .notFound
            case 429: .throttled(retryAfter: answer.headers.first(name: "Retry-After").flatMap { RetryAfter.parse($0, now: now) })
            case 500...599: .server(status: answer.status)
            default: .rejected(status: answer.status)
            }
        let serviceError = ServiceErrorBody.parse(answer.body)
        self.init(kind, requestID: Self.requestID(of: answer) ?? serviceError?.requestID, serviceError: serviceError)
    }

    /// The answer's `X-Request-Id`, cut to one short line.
    static func requestID(of answer: HTTPAnswer) -> String? {
        answer.headers.first(name: "X-Request-Id").map { OneLine.clip($0, limit: 128) }?.nonEmpty
    }
}
