import Foundation
import RefreshCore
import Testing

/// When results, removals and pruning are written.
@Suite struct WriteBatcherTests {
    static let coalescing = WriteBatcher.Policy.coalescing(delay: .milliseconds(500), burstLimit: .seconds(10), retryDelay: .seconds(5))

    @Test func theFirstResultArmsAWriteHalfASecondLater() {
        var batcher = WriteBatcher(policy: Self.coalescing)
        #expect(batcher.resultArrived(at: t0) == t0 + 0.5)
    }

    @Test func laterResultsJoinTheArmedWrite() {
        var batcher = WriteBatcher(policy: Self.coalescing)
        _ = batcher.resultArrived(at: t0)
        #expect(batcher.resultArrived(at: t0 + 0.2) == nil)
    }

    @Test func whileABurstGoesOnTheWriteWaitsAnotherHalfSecond() {
        var batcher = WriteBatcher(policy: Self.coalescing)
        _ = batcher.resultArrived(at: t0)
        #expect(batcher.timerFired(at: t0 + 0.5, burstGoesOn: true) == .rearm(at: t0 + 1))
    }

    @Test func aBurstDelaysTheWriteAtMostTenSecondsAfterTheFirstResult() {
        var batcher = WriteBatcher(policy: Self.coalescing)
        _ = batcher.resultArrived(at: t0)
        #expect(batcher.timerFired(at: t0 + 10, burstGoesOn: true) == .write)
    }

    @Test func theTimerStartsNothingWhileAWriteRuns() {
        var batcher = WriteBatcher(policy: Self.coalescing)
        _ = batcher.resultArrived(at: t0)
        #expect(batcher.begin(hasResults: true) == [])
        #expect(batcher.timerFired(at: t0 + 1, burstGoesOn: false) == .none)
    }

    @Test func nothingToWriteStartsNoWrite() {
        var batcher = WriteBatcher(policy: Self.coalescing)
        _ = batcher.resultArrived(at: t0)
        #expect(batcher.begin(hasResults: false) == nil)
        #expect(batcher.isIdle)
    }

    @Test func removalsGoWithTheNextWrite() {
        var batcher = WriteBatcher(policy: Self.coalescing)
        batcher.remove(["b"])
        #expect(batcher.begin(hasResults: false) == ["b"])
    }

    @Test func aPruneArmsAWriteEvenWithNothingFetched() {
        var batcher = WriteBatcher(policy: Self.coalescing)
        #expect(batcher.mustPrune(at: t0) == t0 + 0.5)
        #expect(batcher.begin(hasResults: false) == [])
    }

    @Test func aFailedWriteIsRetriedAfterFiveSecondsWithItsRemovals() {
        var batcher = WriteBatcher(policy: Self.coalescing)
        batcher.remove(["b"])
        _ = batcher.begin(hasResults: true)
        #expect(batcher.finished(succeeded: false, at: t0, resultsWait: true) == t0 + 5)
        #expect(batcher.begin(hasResults: true) == ["b"])
    }

    @Test func resultsThatArrivedDuringAWriteGetTheNextOne() {
        var batcher = WriteBatcher(policy: Self.coalescing)
        _ = batcher.begin(hasResults: true)
        #expect(batcher.finished(succeeded: true, at: t0, resultsWait: true) == t0 + 0.5)
    }

    @Test func aWriteThatLeavesNothingWaitingArmsNothing() {
        var batcher = WriteBatcher(policy: Self.coalescing)
        _ = batcher.begin(hasResults: true)
        #expect(batcher.finished(succeeded: true, at: t0, resultsWait: false) == nil)
        #expect(batcher.isIdle)
    }

    @Test func onceStoppedOnlyTheFinalWriteRuns() {
        var batcher = WriteBatcher(policy: Self.coalescing)
        batcher.stop()
        #expect(batcher.begin(hasResults: true) == nil)
        #expect(batcher.begin(hasResults: true, final: true) == [])
        #expect(batcher.finished(succeeded: false, at: t0, resultsWait: true) == nil)
    }

    @Test func writingOnceWaitsForEveryFetchToEnd() {
        let batcher = WriteBatcher(policy: .once)
        #expect(!batcher.fetchesEnded(burstGoesOn: true))
        #expect(batcher.fetchesEnded(burstGoesOn: false))
    }

    @Test func writingOnceArmsNoTimer() {
        var batcher = WriteBatcher(policy: .once)
        #expect(batcher.resultArrived(at: t0) == nil)
        #expect(batcher.mustPrune(at: t0) == nil)
    }

    @Test func writingOnceWritesEvenWithNothingFetched() {
        var batcher = WriteBatcher(policy: .once)
        #expect(batcher.begin(hasResults: false) == [])
    }

    @Test func writingOnceNeverRetries() {
        var batcher = WriteBatcher(policy: .once)
        _ = batcher.begin(hasResults: true)
        #expect(batcher.finished(succeeded: false, at: t0, resultsWait: false) == nil)
        #expect(!batcher.retriesFailedWrites)
    }
}
