import Fleet
import Foundation
import Kubeconfig
import RefreshCore
import Renewal
import Testing
import WatchList

@Suite struct WritingTests {
    @Test func resultsThatFinishTogetherAreWrittenInOneUpdate() {
        var driver = Driver(watchList([cluster("a"), cluster("b")]))
        driver.start()
        let a = fetched("a", issued: t0)
        let b = fetched("b", issued: t0)
        #expect(driver.send(.fetchFinished(watchName: "a", .success(a))) == [.arm(.write, at: t0 + 0.5)])
        driver.advance(by: 0.2)
        #expect(driver.send(.fetchFinished(watchName: "b", .success(b))) == [])
        driver.advance(to: t0 + 0.5)
        #expect(driver.send(.timerFired(.write)) == [.write(WriteRequest(upserts: [a, b], pruning: PrunePolicy(kept: ["a", "b"])))])
    }

    @Test func whileABurstGoesOnTheWriteWaitsForItsEnd() {
        let names = ["a", "b", "c", "d", "e"]
        var driver = Driver(watchList(names.map { cluster($0) }))
        driver.start()
        driver.send(.fetchFinished(watchName: "a", .success(fetched("a", issued: t0))))
        driver.advance(to: t0 + 0.5)
        #expect(driver.send(.timerFired(.write)) == [.arm(.write, at: t0 + 1)])
        for name in names.dropFirst() {
            driver.send(.fetchFinished(watchName: name, .success(fetched(name, issued: t0))))
        }
        driver.advance(to: t0 + 1)
        let actions = driver.send(.timerFired(.write))
        #expect(actions == [.write(WriteRequest(upserts: names.map { fetched($0, issued: t0) }, pruning: PrunePolicy(kept: Set(names))))])
    }

    @Test func aLongBurstStillWritesTenSecondsAfterItsFirstResult() {
        let names = ["a", "b", "c", "d", "e"]
        var driver = Driver(watchList(names.map { cluster($0) }))
        driver.start()
        let a = fetched("a", issued: t0)
        driver.send(.fetchFinished(watchName: "a", .success(a)))
        var writeAt = t0 + 0.5
        var writes: [WriteRequest] = []
        // Half-second rearms up to ten seconds: twenty rounds, bounded so a regression fails.
        for _ in 0..<40 where writes.isEmpty {
            driver.advance(to: writeAt)
            for action in driver.send(.timerFired(.write)) {
                switch action {
                case .arm(.write, let at): writeAt = at
                case .write(let request): writes.append(request)
                default: break
                }
            }
        }
        #expect(driver.now == t0 + 10)
        #expect(writes == [WriteRequest(upserts: [a], pruning: PrunePolicy(kept: Set(names)))])
    }

    @Test func aFailedWriteIsRetriedAfterFiveSecondsWithNothingLost() {
        var driver = Driver(watchList([cluster("a")]))
        driver.start()
        let a = fetched("a", issued: t0)
        driver.send(.fetchFinished(watchName: "a", .success(a)))
        driver.advance(to: t0 + 0.5)
        driver.send(.timerFired(.write))
        #expect(driver.send(.writeFinished(.failed("~/.kube/config: permission denied"))) == [.arm(.write, at: t0 + 5.5)])
        #expect(driver.state("a")?.lastSuccess == nil)
        driver.advance(to: t0 + 5.5)
        #expect(driver.send(.timerFired(.write)) == [.write(WriteRequest(upserts: [a], pruning: PrunePolicy(kept: ["a"])))])
    }

    @Test func aResultThatArrivesDuringAWriteGetsTheNextOne() {
        let present = fetched("b", issued: t0 - day)
        var driver = Driver(watchList([cluster("a"), cluster("b")]))
        driver.start(["b": present])
        let a = fetched("a", issued: t0)
        let b = fetched("b", issued: t0)
        driver.send(.fetchFinished(watchName: "a", .success(a)))
        driver.advance(to: t0 + 0.5)
        #expect(driver.send(.timerFired(.write)) == [.write(WriteRequest(upserts: [a], pruning: PrunePolicy(kept: ["a", "b"])))])
        #expect(driver.send(.renewAllRequested) == [.cancel(.renewal(watchName: "b")), .fetch(cluster("b"))])
        #expect(driver.send(.fetchFinished(watchName: "b", .success(b))) == [])
        driver.advance(to: t0 + 0.6)
        let actions = driver.send(.writeFinished(.completed(conflicts: [:], changed: ["a"], pruned: [])))
        #expect(actions == [.arm(.renewal(watchName: "a"), at: renewal(of: "a", a.clientCertificate)), .arm(.write, at: t0 + 1.1)])
        driver.advance(to: t0 + 1.1)
        #expect(driver.send(.timerFired(.write)) == [.write(WriteRequest(upserts: [b], pruning: PrunePolicy(kept: ["a", "b"])))])
    }

    @Test func stoppingWritesWhatWasFetchedAndAbandonsRunningFetches() {
        var driver = Driver(watchList([cluster("a"), cluster("b")]))
        driver.start()
        let a = fetched("a", issued: t0)
        driver.send(.fetchFinished(watchName: "a", .success(a)))
        driver.advance(by: 0.1)
        #expect(
            driver.send(.stopRequested) == [
                .cancelFetch(watchName: "b"), .write(WriteRequest(upserts: [a], pruning: PrunePolicy(kept: ["a", "b"]))),
            ]
        )
        #expect(driver.send(.fetchFinished(watchName: "b", .success(fetched("b", issued: t0)))) == [])
        #expect(driver.send(.writeFinished(.completed(conflicts: [:], changed: ["a"], pruned: []))) == [])
        #expect(driver.send(.timerFired(.write)) == [])
        #expect(driver.send(.renewAllRequested) == [])
    }
}
