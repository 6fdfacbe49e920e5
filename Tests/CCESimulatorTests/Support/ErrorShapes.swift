import Foundation
import NIOHTTP1
import Testing

/// Checks of the three error body shapes (`docs/simulator.md`) and of the request id on every answer.
extension Answer {
    /// The `X-Request-Id` header, checked to be 32 lower-case hex digits.
    func requestID(sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let id = try #require(headers.first(name: "X-Request-Id"), "no X-Request-Id", sourceLocation: sourceLocation)
        #expect(id.wholeMatch(of: /[0-9a-f]{32}/) != nil, "X-Request-Id \(id)", sourceLocation: sourceLocation)
        return id
    }

    /// `{"errorCode": code, "errorMessage": message}`, exactly those two keys.
    func expectCCEError(
        _ status: HTTPResponseStatus,
        _ code: String,
        _ message: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        #expect(self.status == status, "\(text)", sourceLocation: sourceLocation)
        _ = try requestID(sourceLocation: sourceLocation)
        let body = try json()
        #expect(Set(body.keys) == ["errorCode", "errorMessage"], sourceLocation: sourceLocation)
        #expect(body["errorCode"] as? String == code, sourceLocation: sourceLocation)
        #expect(body["errorMessage"] as? String == message, sourceLocation: sourceLocation)
    }

    /// `{"error_code": code, "error_msg": "…fragment…", "request_id": <X-Request-Id>}`.
    func expectGatewayError(
        _ status: HTTPResponseStatus,
        _ code: String,
        containing fragment: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        #expect(self.status == status, "\(text)", sourceLocation: sourceLocation)
        let requestID = try requestID(sourceLocation: sourceLocation)
        let body = try json()
        #expect(Set(body.keys) == ["error_code", "error_msg", "request_id"], sourceLocation: sourceLocation)
        #expect(body["error_code"] as? String == code, sourceLocation: sourceLocation)
        let message = try #require(body["error_msg"] as? String, sourceLocation: sourceLocation)
        #expect(message.contains(fragment), "\(message)", sourceLocation: sourceLocation)
        #expect(body["request_id"] as? String == requestID, sourceLocation: sourceLocation)
    }

    /// Keystone's `{"error": {"code": <status>, "message": "…fragment…", "title": <reason>}}`.
    func expectIAMError(
        _ status: HTTPResponseStatus,
        containing fragment: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        #expect(self.status == status, "\(text)", sourceLocation: sourceLocation)
        _ = try requestID(sourceLocation: sourceLocation)
        let error = try #require(try json()["error"] as? [String: any Sendable], sourceLocation: sourceLocation)
        #expect(error["code"] as? Int == Int(status.code), sourceLocation: sourceLocation)
        #expect(error["title"] as? String == status.reasonPhrase, sourceLocation: sourceLocation)
        #expect((error["message"] as? String)?.contains(fragment) == true, "\(error)", sourceLocation: sourceLocation)
    }
}
