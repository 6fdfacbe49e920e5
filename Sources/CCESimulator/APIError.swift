import NIOHTTP1

/// An error answer in one of Huawei Cloud's three body shapes (`docs/simulator.md`), with the
/// codes and messages documented for each case.
struct APIError: Error, Sendable {
    /// Who answers, which decides the body's shape.
    enum Body: Sendable {
        /// The CCE service: `{"errorCode": "CCE.01404001", "errorMessage": "Resource not found."}`.
        case cce(code: String, message: String)
        /// The API gateway in front of every service:
        /// `{"error_code": "APIGW.0301", "error_msg": "...", "request_id": "..."}`.
        case gateway(code: String, message: String)
        /// IAM (Keystone): `{"error": {"code": 401, "message": "...", "title": "Unauthorized"}}`.
        case iam(message: String)
    }

    var status: HTTPResponseStatus
    var body: Body
    /// Sent as `Retry-After`, in seconds.
    var retryAfterSeconds: Int?

    init(_ status: HTTPResponseStatus, _ body: Body, retryAfterSeconds: Int? = nil) {
        self.status = status
        self.body = body
        self.retryAfterSeconds = retryAfterSeconds
    }

    /// The response, with `X-Request-Id` (and the gateway body's `request_id`) set to `requestID`.
    func response(requestID: String) -> SimulatedResponse {
        var headers: HTTPHeaders = ["X-Request-Id": requestID]
        if let retryAfterSeconds {
            headers.add(name: "Retry-After", value: String(retryAfterSeconds))
        }
        let document: JSONValue =
            switch body {
            case .cce(let code, let message):
                ["errorCode": .string(code), "errorMessage": .string(message)]
            case .gateway(let code, let message):
                ["error_code": .string(code), "error_msg": .string(message), "request_id": .string(requestID)]
            case .iam(let message):
                ["error": ["code": .integer(Int(status.code)), "message": .string(message), "title": .string(status.reasonPhrase)]]
            }
        return .json(status, document, headers: headers)
    }
}

extension APIError {
    /// 400 `CCE.01400001`: a body CCE cannot use, such as a `duration` out of range.
    static let invalidRequest = APIError(.badRequest, .cce(code: "CCE.01400001", message: "Invalid request."))
    /// 400 `CCE.01400006`: a body that is not declared as JSON.
    static let unsupportedContentType = APIError(.badRequest, .cce(code: "CCE.01400006", message: "Content type not supported."))
    /// 401 `CCE.01401001`.
    static let authorizationFailed = APIError(.unauthorized, .cce(code: "CCE.01401001", message: "Authorization failed."))
    /// 403 `CCE.01403001`: also what a credential acting in another project gets.
    static let forbidden = APIError(.forbidden, .cce(code: "CCE.01403001", message: "Forbidden."))
    /// 404 `CCE.01404001`: no such cluster in this project, or a cluster of the other API family.
    static let resourceNotFound = APIError(.notFound, .cce(code: "CCE.01404001", message: "Resource not found."))
    /// 500 `CCE.01500001`.
    static let internalError = APIError(.internalServerError, .cce(code: "CCE.01500001", message: "Internal error."))

    /// 404 `APIGW.0101`: no API at this method and path.
    static let apiNotFound = APIError(
        .notFound,
        .gateway(code: "APIGW.0101", message: "The API does not exist or has not been published in the environment.")
    )
    /// 503 `APIGW.0201`: the gateway cannot reach the service.
    static let backendUnavailable = APIError(.serviceUnavailable, .gateway(code: "APIGW.0201", message: "Backend unavailable."))

    /// 429 `APIGW.0308` with `Retry-After`, worded as the gateway words the per-user limit.
    static func throttled(retryAfterSeconds: Int) -> APIError {
        APIError(
            .tooManyRequests,
            .gateway(
                code: "APIGW.0308",
                message: "The throttling threshold has been reached: policy user over ratelimit,limit:10,time:1 minute"
            ),
            retryAfterSeconds: retryAfterSeconds
        )
    }

    /// 401 `APIGW.0301`, the gateway's answer to every credential it cannot accept.
    static func incorrectIAMAuthentication(_ detail: String) -> APIError {
        APIError(.unauthorized, .gateway(code: "APIGW.0301", message: "Incorrect IAM authentication information: \(detail)"))
    }
}

extension APIError {
    /// An IAM error: Keystone's shape, its title the status's reason phrase.
    static func iam(_ status: HTTPResponseStatus, _ message: String) -> APIError {
        APIError(status, .iam(message: message))
    }
}
