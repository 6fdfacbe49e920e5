import Fleet
import Foundation
import Kubeconfig
import RefreshCore
import Renewal
import Testing
import WatchList

/// `sync`: the machine in its pass mode.
@Suite struct PassTests {
    @Test func aPassFetchesWhatIsDueAndWritesOnceWhenEveryFetchHasEnded() {
        let present = fetched("c", issued: t0 - day)
        var driver = Driver(watchList([cluster("a"), cluster("b"), cluster("c")]), mode: .pass(force: false, only: nil))
        #expect(driver.start(["c": present]) == [.fetch(cluster("a")), .fetch(cluster("b"))])
        let a = fetched("a", issued: t0)
        #expect(driver.send(.fetchFinished(watchName: "a", .success(a))) == [])
        #expect(
            driver.send(.fetchFinished(watchName: "b", .failure(FetchFailure("HTTP 500", kind: .server)))) == [
                .write(WriteRequest(upserts: [a], pruning: PrunePolicy(kept: ["a", "b", "c"])))
            ]
        )
        #expect(driver.send(.writeFinished(.completed(conflicts: [:], changed: ["a"], pruned: []))) == [])
        #expect(driver.machine.isIdle)
        #expect(
            driver.machine.passOutcomes == [
                "a": .refreshed(validUntil: t0 + 7 * day, changed: true),
                "b": .failed("HTTP 500"),
                "c": .fresh(until: renewal(of: "c", present.clientCertificate), reason: .scheduled),
            ]
        )
    }

    @Test func aPassWithNothingDueStillPrunesClustersThatLeftTheWatchList() {
        var driver = Driver(watchList([cluster("a")]), mode: .pass(force: false, only: nil))
        #expect(
            driver.start(["a": fetched("a", issued: t0 - day)]) == [.write(WriteRequest(upserts: [], pruning: PrunePolicy(kept: ["a"])))]
        )
    }

    @Test func aPassOverSomeClustersPrunesNothing() {
        var driver = Driver(watchList([cluster("a"), cluster("b")]), mode: .pass(force: false, only: ["b"]))
        #expect(driver.start() == [.fetch(cluster("b"))])
        let b = fetched("b", issued: t0)
        #expect(driver.send(.fetchFinished(watchName: "b", .success(b))) == [.write(WriteRequest(upserts: [b], pruning: nil))])
    }

    @Test func aForcedPassFetchesFreshClustersToo() {
        var driver = Driver(watchList([cluster("a")]), mode: .pass(force: true, only: nil))
        #expect(driver.start(["a": fetched("a", issued: t0 - 60)]) == [.fetch(cluster("a"))])
    }

    @Test func aPassRetriesNothing() {
        var driver = Driver(watchList([cluster("a")]), mode: .pass(force: false, only: nil))
        driver.start()
        driver.send(.fetchFinished(watchName: "a", .failure(FetchFailure("HTTP 503", kind: .server))))
        driver.send(.writeFinished(.completed(conflicts: [:], changed: [], pruned: [])))
        driver.advance(by: 10)
        #expect(driver.send(.timerFired(.renewal(watchName: "a"))) == [])
        #expect(driver.machine.isIdle)
    }

    @Test func aRefusedCredentialIsNotTriedAgainByTheRestOfThePass() {
        let names = ["a", "b", "c", "d", "e"]
        var driver = Driver(watchList(names.map { cluster($0) }), mode: .pass(force: false, only: nil))
        driver.start()
        driver.advance(by: 1)
        driver.send(.fetchFinished(watchName: "a", .failure(FetchFailure("HTTP 401", kind: .authentication))))
        #expect(
            driver.machine.passOutcomes["e"]
                == .failed("not tried: credential set \"main\" was refused (HTTP 401) for another cluster in this pass")
        )
    }

    @Test func maxRefreshCountsAsInTheServiceFromThePersistedLastSuccess() {
        let present = fetched("a", issued: t0 - 2 * 3_600)
        var driver = Driver(watchList([cluster("a")], maxRefresh: .seconds(3_600)), mode: .pass(force: false, only: nil))
        driver.start(["a": present], persisted: ["a": ClusterState(lastSuccess: t0 - 1_800)])
        #expect(driver.machine.passOutcomes["a"] == .fresh(until: t0 + 1_800, reason: .maxRefresh))
    }

    @Test func aConflictFailsItsClusterInThePass() {
        var driver = Driver(watchList([cluster("a")]), mode: .pass(force: false, only: nil))
        driver.start()
        driver.send(.fetchFinished(watchName: "a", .success(fetched("a", issued: t0))))
        driver.send(.writeFinished(.completed(conflicts: ["a": "conflict"], changed: [], pruned: [])))
        #expect(driver.machine.passOutcomes["a"] == .failed("conflict"))
    }
}
