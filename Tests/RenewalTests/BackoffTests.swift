import Renewal
import Testing

@Suite struct BackoffTests {
    let backoff = Backoff()

    @Test func ceilingDoublesFromTwoSecondsToFiveMinutes() {
        let ceilings = (1...10).map { backoff.ceiling(afterFailures: $0) }
        #expect(ceilings == [2, 4, 8, 16, 32, 64, 128, 256, 300, 300].map { Duration.seconds($0) })
    }

    @Test func ceilingStaysAtFiveMinutesAfterAnyNumberOfFailures() {
        #expect(backoff.ceiling(afterFailures: 10_000) == .seconds(300))
        #expect(backoff.ceiling(afterFailures: .max) == .seconds(300))
    }

    @Test func configuredDelaysAreUsed() {
        let fast = Backoff(initialDelay: .milliseconds(100), maximumDelay: .seconds(1))
        #expect((1...6).map { fast.ceiling(afterFailures: $0) } == [100, 200, 400, 800, 1_000, 1_000].map { Duration.milliseconds($0) })
    }

    @Test(arguments: [(0.0, 1.0), (0.5, 1.5), (0.75, 1.75)])
    func waitIsDrawnFromHalfToFullCeiling(fraction: Double, seconds: Double) {
        #expect(Backoff.jittered(.seconds(2), fraction: fraction) == .seconds(seconds))
    }

    @Test func waitsCoverHalfToFullCeilingAndNeverReachIt() {
        for ceiling in [Duration.seconds(2), .seconds(300), .seconds(1_800)] {
            let waits = (0..<100).map { Backoff.jittered(ceiling, fraction: Double($0) / 100) }
            #expect(waits.first == ceiling / 2)
            #expect(waits.allSatisfy { $0 >= ceiling / 2 && $0 < ceiling })
            #expect(waits.max()! > ceiling * 0.99 - .milliseconds(1))
            #expect(Set(waits).count == 100)
        }
    }
}
