import Durations
import Foundation
import Testing

/// Durations as the watch list spells them and as people read them.
@Suite struct DurationTextTests {
    @Test(
        arguments: [("24h", 86_400), ("90m", 5_400), ("1h30m", 5_400), ("7d", 604_800), ("45s", 45), ("1d2h3m4s", 93_784), ("0s", 0)]
            as [(String, Int64)]
    )
    func watchListSpellingsParse(text: String, seconds: Int64) {
        #expect(DurationText.parse(text) == .seconds(seconds))
    }

    @Test(arguments: ["", "24", "h", "1.5h", "24H", "1w", "-1h", "1h 30m", "99999999999999999999s", "106751991167301d"])
    func otherTextIsNotADuration(text: String) {
        #expect(DurationText.parse(text) == nil)
    }

    @Test(arguments: [(86_400, "24h"), (5_400, "1h30m"), (2_700, "45m"), (45, "45s"), (93_784, "26h3m4s"), (0, "0s")] as [(Int64, String)])
    func spelledAsTheWatchListSpellsIt(seconds: Int64, text: String) {
        #expect(DurationText.spelled(.seconds(seconds)) == text)
    }

    @Test(arguments: [0, 1, 59, 60, 61, 3_599, 3_600, 86_399, 86_400, 1_000_000] as [Int64])
    func spellingReadsBackToTheSameDuration(seconds: Int64) {
        #expect(DurationText.parse(DurationText.spelled(.seconds(seconds))) == .seconds(seconds))
    }

    @Test(
        arguments: [
            (.zero, "0s"), (.milliseconds(250), "250ms"), (.microseconds(999), "0s"), (.milliseconds(1_500), "1.5s"),
            (.milliseconds(300), "300ms"), (.milliseconds(2_050), "2.05s"), (.seconds(30), "30s"), (.seconds(59), "59s"),
            (.seconds(60), "1m"), (.seconds(63), "1m 3s"), (.milliseconds(63_900), "1m 3s"), (.seconds(3_600), "1h"),
            (.seconds(7_500), "2h 5m"), (.seconds(7_260), "2h 1m"), (.seconds(86_400), "1d"),
            (.seconds(6 * 86_400 + 3 * 3_600 + 59), "6d 3h"),
            (.seconds(400 * 86_400), "400d"), (.seconds(-7_200), "2h"), (.milliseconds(-250), "250ms"),
        ] as [(Duration, String)]
    )
    func readableTextUsesTheLargestUnits(duration: Duration, text: String) {
        #expect(DurationText.readable(duration) == text)
    }

    @Test(
        arguments: [(0, "0s"), (0.9, "900ms"), (59, "59s"), (63.25, "1m 3s"), (-7_200, "2h"), (Double.infinity, "∞")] as [(Double, String)]
    )
    func readableTextOfSecondsMatchesTheDuration(seconds: Double, text: String) {
        #expect(DurationText.readable(seconds: seconds) == text)
    }

    @Test func relativeTimesSayInOrAgo() {
        let now = Date(timeIntervalSinceReferenceDate: 800_000_000)
        #expect(DurationText.relative(now + 6 * 86_400 + 3 * 3_600, to: now) == "in 6d 3h")
        #expect(DurationText.relative(now - 7_200, to: now) == "2h ago")
        #expect(DurationText.relative(now + 40.7, to: now) == "in 40s")
    }

    @Test func relativeTimeWithinASecondIsNow() {
        let now = Date(timeIntervalSinceReferenceDate: 800_000_000)
        #expect(DurationText.relative(now, to: now) == "now")
        #expect(DurationText.relative(now + 0.5, to: now) == "now")
        #expect(DurationText.relative(now - 0.5, to: now) == "now")
    }
}
