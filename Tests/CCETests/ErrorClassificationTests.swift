import Foundation
import NIOHTTP1
import Testing

@testable import CCE

/// Failed answers classified from status, headers and body, with the shapes Huawei Cloud's services really answer with.
@Suite struct ErrorClassificationTests {
    private let now = Date(timeIntervalSince1970: 1_800_000_000)

    private func classify(_ status: Int, _ body: String, headers: [(String, String)] = []) -> ServiceFailure? {
        ServiceFailure(classifying: HTTPAnswer(status: status, headers: HTTPHeaders(headers), body: Array(body.utf8)), now: now)
    }

    @Test(arguments: [200, 201, 204, 299])
    func anyTwoHundredIsNoFailure(status: Int) {
        #expect(classify(status, "{}") == nil)
    }

    @Test func cceNotFoundInCamelCase() throws {
        let failure = try #require(
            classify(404, #"{"errorCode":"CCE.01404001","errorMessage":"Resource not found."}"#, headers: [("X-Request-Id", "req-404")])
        )
        #expect(failure.kind == .notFound)
        #expect(failure.requestID == "req-404")
        #expect(failure.serviceError == ServiceErrorBody(family: .cce, code: "CCE.01404001", message: "Resource not found."))
    }

    @Test func cceSnakeCaseWithExtraMessageKeepsBoth() throws {
        let failure = try #require(
            classify(400, #"{"error_code":"CCE.01400001","error_msg":"Invalid request.","message":"duration must be between 1 and 1827"}"#)
        )
        #expect(failure.kind == .rejected(status: 400))
        #expect(failure.serviceError?.description == "CCE.01400001: Invalid request.; duration must be between 1 and 1827")
    }

    @Test func kubernetesStatusBodyGivesReasonAndMessage() throws {
        let body =
            #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"clusters \"x\" not found","reason":"NotFound","code":404}"#
        let failure = try #require(classify(404, body))
        #expect(failure.serviceError == ServiceErrorBody(family: .cce, code: "NotFound", message: #"clusters "x" not found"#))
    }

    @Test func gatewayAuthenticationFailureTakesTheRequestIDFromTheBody() throws {
        let body =
            #"{"error_msg":"Incorrect IAM authentication information: verify aksk signature fail, SignedHeaders:content-type;host","error_code":"APIGW.0301","request_id":"4f1e9c"}"#
        let failure = try #require(classify(401, body))
        #expect(failure.kind == .authentication)
        #expect(failure.requestID == "4f1e9c")
        #expect(failure.serviceError?.family == .gateway)
        #expect(failure.serviceError?.code == "APIGW.0301")
    }

    @Test func headerRequestIDWinsOverTheBodys() throws {
        let failure = try #require(
            classify(401, #"{"error_code":"APIGW.0301","error_msg":"x","request_id":"body"}"#, headers: [("x-request-id", "header")])
        )
        #expect(failure.requestID == "header")
    }

    @Test func gatewayForbiddenAndNotFound() throws {
        #expect(
            classify(403, #"{"error_code":"APIGW.0302","error_msg":"The IAM user is not authorized to access the API."}"#)?.kind
                == .forbidden
        )
        let missing = try #require(
            classify(
                404,
                #"{"error_code":"APIGW.0101","error_msg":"The API does not exist or has not been published in the environment."}"#
            )
        )
        #expect(missing.kind == .notFound)
        #expect(missing.serviceError?.family == .gateway)
    }

    @Test func throttlingCarriesRetryAfterInSecondsOrAsADate() throws {
        let body =
            #"{"error_code":"APIG.0308","error_msg":"The throttling threshold has been reached: policy user over ratelimit,limit:10,time:1 minute"}"#
        #expect(classify(429, body, headers: [("Retry-After", "30")])?.kind == .throttled(retryAfter: .seconds(30)))
        let date = Date(timeInterval: 90, since: now)
        let httpDate = date.formatted(
            Date.VerbatimFormatStyle(
                format:
                    "\(weekday: .abbreviated), \(day: .twoDigits) \(month: .abbreviated) \(year: .defaultDigits) \(hour: .twoDigits(clock: .twentyFourHour, hourCycle: .zeroBased)):\(minute: .twoDigits):\(second: .twoDigits) GMT",
                locale: Locale(identifier: "en_US_POSIX"),
                timeZone: .gmt,
                calendar: Calendar(identifier: .gregorian)
            )
        )
        #expect(classify(429, body, headers: [("Retry-After", httpDate)])?.kind == .throttled(retryAfter: .seconds(90)))
        #expect(
            classify(429, #"{"errorCode":"CCE.01429002","errorMessage":"Resource locked by other requests."}"#)?.kind
                == .throttled(retryAfter: nil)
        )
    }

    @Test func iamKeystoneBodyGivesTitleAndMessage() throws {
        let failure = try #require(
            classify(401, #"{"error":{"code":401,"message":"The username or password is wrong.","title":"Unauthorized"}}"#)
        )
        #expect(failure.kind == .authentication)
        #expect(
            failure.serviceError == ServiceErrorBody(family: .iam, code: "401", message: "Unauthorized: The username or password is wrong.")
        )
    }

    @Test(arguments: [500, 502, 503, 599])
    func serverErrorsKeepTheirStatus(status: Int) {
        #expect(classify(status, #"{"errorCode":"CCE.01500001","errorMessage":"Internal error."}"#)?.kind == .server(status: status))
    }

    @Test(arguments: ["", "<html><body>Bad Gateway</body></html>", "[1,2]", #"{"unrelated":true}"#, "{\"error_msg\": "])
    func bodyInNoKnownShapeIsNoServiceError(body: String) throws {
        let failure = try #require(classify(502, body))
        #expect(failure.kind == .server(status: 502))
        #expect(failure.serviceError == nil)
    }

    @Test(arguments: [301, 302, 400, 409, 418])
    func otherStatusesAreRejections(status: Int) {
        #expect(classify(status, "")?.kind == .rejected(status: status))
    }

    @Test func serverTextIsCutToOneBoundedLine() throws {
        let long = String(repeating: "x", count: 1000)
        let failure = try #require(
            classify(
                500,
                #"{"error_code":"CCE.01500001","error_msg":"line one\nline two\t\#(long)"}"#,
                headers: [("X-Request-Id", "id\r\nInjected: yes")]
            )
        )
        let message = try #require(failure.serviceError?.message)
        #expect(message.hasPrefix("line one line two xxx"))
        #expect(message.count == 301)
        #expect(message.hasSuffix("…"))
        #expect(failure.requestID?.contains("\n") == false)
    }
}
