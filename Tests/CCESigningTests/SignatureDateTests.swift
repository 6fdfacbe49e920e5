import CCESigning
import Foundation
import Testing

/// `X-Sdk-Date` is formatted and parsed by hand; check it against known calendar instants.
struct SignatureDateTests {
    @Test(arguments: [
        (0.0, "19700101T000000Z"),
        (-1.0, "19691231T235959Z"),
        (1_573_789_015.0, "20191115T033655Z"),
        (1_709_251_199.0, "20240229T235959Z"),
        (1_767_225_600.0, "20260101T000000Z"),
        (253_402_300_799.0, "99991231T235959Z"),
    ])
    func formatsAndParsesUTCInstants(_ seconds: TimeInterval, _ text: String) throws {
        let date = Date(timeIntervalSince1970: seconds)
        #expect(SignatureDate(date).text == text)
        #expect(try #require(SignatureDate(parsing: text)).date == date)
    }

    @Test func dropsFractionsOfASecondLikeStrftime() {
        #expect(SignatureDate(Date(timeIntervalSince1970: 1_704_067_200.999)).text == "20240101T000000Z")
        #expect(SignatureDate(Date(timeIntervalSince1970: -0.5)).text == "19691231T235959Z")
    }

    @Test(arguments: [
        "", "20240101T000000", "20240101T000000z", "2024-01-01T00:00:00Z", "20240101 000000Z",
        "20240230T000000Z", "20230229T000000Z", "20241301T000000Z", "20240100T000000Z",
        "20240101T240000Z", "20240101T006000Z", "20240101T000060Z", "00000101T000000Z", "2024010１T000000Z",
    ])
    func rejectsAnythingButAStrictUTCSecond(_ text: String) {
        #expect(SignatureDate(parsing: text) == nil)
    }
}
