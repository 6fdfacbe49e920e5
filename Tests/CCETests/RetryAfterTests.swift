import Foundation
import Testing

@testable import CCE

/// `Retry-After` as seconds or as an HTTP date in each of the three formats RFC 9110 requires.
@Suite struct RetryAfterTests {
    /// Sun, 06 Nov 1994 08:49:07 GMT: thirty seconds before the dates below.
    private let now = Date(timeIntervalSince1970: 784_111_747)

    @Test(arguments: [("0", 0), ("30", 30), (" 120 ", 120)] as [(String, Int64)])
    func secondsAreTakenAsIs(value: String, seconds: Int64) {
        #expect(RetryAfter.parse(value, now: now) == .seconds(seconds))
    }

    @Test(arguments: ["Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994"])
    func httpDateInEveryFormatIsTheTimeLeft(value: String) {
        #expect(RetryAfter.parse(value, now: now) == .seconds(30))
    }

    @Test func dateInThePastMeansAtOnce() {
        #expect(RetryAfter.parse("Sat, 05 Nov 1994 08:49:37 GMT", now: now) == .zero)
    }

    @Test(arguments: ["soon", "-5", "1.5", "Sun, 32 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 CET", ""])
    func anythingElseIsIgnored(value: String) {
        #expect(RetryAfter.parse(value, now: now) == nil)
    }

    @Test func hugeNumberIsCappedRatherThanRefused() {
        #expect(RetryAfter.parse(String(repeating: "9", count: 40), now: now) != nil)
    }
}
