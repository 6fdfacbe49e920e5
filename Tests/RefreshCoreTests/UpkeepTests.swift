import Foundation
import RefreshCore
import Renewal
import Testing

/// What the service watches between renewals: outside changes of the kubeconfig, suspends and
/// steps of the wall clock.
@Suite struct UpkeepTests {
    static func upkeep(watches: Bool = true) -> Upkeep {
        var upkeep = Upkeep(watches: watches, healDelay: .milliseconds(300), networkSettleDelay: .seconds(5))
        upkeep.started(clocks: ClockSample(wall: t0, boottime: .seconds(1_000), monotonic: .seconds(1_000)))
        return upkeep
    }

    @Test func anOutsideChangeIsCheckedAfterThreeHundredMilliseconds() {
        var upkeep = Self.upkeep()
        #expect(upkeep.checkWanted(at: t0) == t0 + 0.3)
    }

    @Test func oneCheckIsArmedAtATime() {
        var upkeep = Self.upkeep()
        _ = upkeep.checkWanted(at: t0)
        #expect(upkeep.checkWanted(at: t0 + 0.1) == nil)
        upkeep.checkTimerFired()
        #expect(upkeep.checkWanted(at: t0 + 1) == t0 + 1 + 0.3)
    }

    @Test func aSteadyTickEvaluatesWithoutALogLine() {
        var upkeep = Self.upkeep()
        #expect(
            upkeep.tick(ClockSample(wall: t0 + 60, boottime: .seconds(1_060), monotonic: .seconds(1_060)), at: t0 + 60)
                == .evaluate(log: nil)
        )
    }

    @Test func aResumeWaitsFiveSecondsForTheNetwork() {
        var upkeep = Self.upkeep()
        let tick = upkeep.tick(ClockSample(wall: t0 + day, boottime: .seconds(1_000 + 86_400), monotonic: .seconds(1_060)), at: t0 + day)
        guard case .evaluateAfterResume(let at, _) = tick else {
            Issue.record("a resume evaluates after the network settles: \(String(describing: tick))")
            return
        }
        #expect(at == t0 + day + 5)
    }

    @Test func aWallClockStepIsLoggedAndEvaluatedAtOnce() {
        var upkeep = Self.upkeep()
        let tick = upkeep.tick(ClockSample(wall: t0 + day + 60, boottime: .seconds(1_060), monotonic: .seconds(1_060)), at: t0 + day + 60)
        guard case .evaluate(let log?) = tick else {
            Issue.record("a step evaluates at once, with a log line: \(String(describing: tick))")
            return
        }
        #expect(log.message == "the wall clock jumped; re-checking every cluster")
    }

    @Test func aPassWatchesNothing() {
        var upkeep = Self.upkeep(watches: false)
        #expect(upkeep.checkWanted(at: t0) == nil)
        #expect(upkeep.tick(ClockSample(wall: t0 + 60, boottime: .seconds(1_060), monotonic: .seconds(1_060)), at: t0 + 60) == nil)
        #expect(upkeep.nextListing(every: .seconds(600), at: t0) == nil)
    }

    @Test func theFleetIsListedAgainAfterTheDiscoveryInterval() {
        #expect(Self.upkeep().nextListing(every: .seconds(600), at: t0) == t0 + 600)
    }

    @Test func withoutDiscoveryRulesTheFleetIsNotListedAgain() {
        #expect(Self.upkeep().nextListing(every: nil, at: t0) == nil)
    }
}
