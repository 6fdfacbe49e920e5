#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The error a Huawei Cloud service wrote in the body of a failed answer.
///
/// Three families exist, and a client sees all of them:
/// - CCE itself: `{"errorCode": "CCE.01404001", "errorMessage": "..."}`, sometimes snake_case
///   `error_code`/`error_msg`, sometimes a Kubernetes `{"kind": "Status", "message": ..., "reason": ...}`;
/// - the API gateway in front of every service: `{"error_code": "APIGW.0301", "error_msg": ..., "request_id": ...}`;
/// - IAM (Keystone): `{"error": {"code": 401, "message": ..., "title": "Unauthorized"}}`.
///
/// Code and message are kept to one line of bounded length, so a hostile or broken server cannot
/// flood a log; the client removes the request's secrets from the message before it is shown.
package struct ServiceErrorBody: Sendable, Hashable, CustomStringConvertible {
    /// Which layer wrote the body.
    package enum Family: String, Sendable, Hashable {
        case cce
        case gateway
        case iam
    }

    package var family: Family
    /// `CCE.01404001`, `APIGW.0301`, an IAM status such as `401`, or a Kubernetes reason.
    package var code: String?
    /// The human message, with an IAM title in front of it when there is one.
    package var message: String?
    /// The `request_id` some gateway bodies carry.
    package var requestID: String?

    package init(family: Family, code: String?, message: String?, requestID: String? = nil) {
        self.family = family
        self.code = code
        self.message = message
        self.requestID = requestID
    }

    /// `CODE: message`, or whichever of the two there is.
    package var description: String {
        switch (code, message) {
        case (let code?, let message?): "\(code): \(message)"
        case (let code?, nil): code
        case (nil, let message?): message
        case (nil, nil): "\(family.rawValue) error without code or message"
        }
    }

    /// The error in `body`, or `nil` when it is not a JSON object in one of the three shapes.
    static func parse(_ body: [UInt8]) -> ServiceErrorBody? {
        guard let object = JSONValue.parse(body), case .object = object else { return nil }

        if let inner = object["error"], case .object = inner {
            let title = line(inner["title"])
            let message = line(inner["message"])
            return ServiceErrorBody(
                family: .iam,
                code: line(inner["code"]),
                message: [title, message].compactMap { $0 }.joined(separator: ": ").nonEmpty
            )
        }

        let code = line(object["error_code"]) ?? line(object["errorCode"])
        let primary = line(object["error_msg"]) ?? line(object["errorMessage"])
        let extra = line(object["message"])
        // The SDK appends `message` when it differs from the main message.
        let message = extra == primary ? primary : [primary, extra].compactMap { $0 }.joined(separator: "; ").nonEmpty
        let requestID = line(object["request_id"])
        if let code, code.hasPrefix("APIGW.") || code.hasPrefix("APIG.") {
            return ServiceErrorBody(family: .gateway, code: code, message: message, requestID: requestID)
        }
        let isStatus = object["kind"]?.string == "Status"
        guard code != nil || message != nil || isStatus else { return nil }
        return ServiceErrorBody(
            family: .cce,
            code: code ?? (isStatus ? line(object["reason"]) : nil),
            message: message,
            requestID: requestID
        )
    }

    /// A string or number field as one line of bounded length; `nil` when absent, empty or another type.
    private static func line(_ value: JSONValue?) -> String? {
        value?.text.map { OneLine.clip($0, limit: 300) }?.nonEmpty
    }
}

extension String {
    /// `nil` for the empty string.
    var nonEmpty: String? {
        isEmpty ? nil : self
    }
}

extension ServiceErrorBody {
    /// The limit a gateway throttle states: `APIGW.0308` "policy user over ratelimit,limit:10,time:1
    /// minute" says 10 calls per minute. `nil` for any other body, or a policy it does not state.
    package var statedRateLimit: (calls: Int, window: Duration)? {
        guard family == .gateway, let message else { return nil }
        let text = message.lowercased().filter { $0 != " " }
        guard let limitRange = text.firstRange(of: "limit:"), let timeRange = text[limitRange.upperBound...].firstRange(of: "time:") else {
            return nil
        }
        guard let calls = Int(text[limitRange.upperBound...].prefix { $0.isNumber }), calls > 0 else { return nil }
        let time = text[timeRange.upperBound...]
        let digits = time.prefix { $0.isNumber }
        guard let count = Int(digits), count > 0 else { return nil }
        let unit = time.dropFirst(digits.count)
        let seconds: Int64? =
            if unit.hasPrefix("second") { 1 } else if unit.hasPrefix("minute") { 60 } else if unit.hasPrefix("hour") { 3_600 } else { nil }
        guard let seconds else { return nil }
        return (calls, .seconds(Int64(count) * seconds))
    }
}
