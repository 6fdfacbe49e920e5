import Fleet
import Foundation
import Kubeconfig
import RefreshCore
import Renewal
import Testing
import WatchList

@Suite struct ReloadTests {
    @Test func aClusterAddedToTheWatchListIsFetchedAtOnce() {
        var driver = Driver(watchList([cluster("a")]))
        driver.start(["a": fetched("a", issued: t0 - day)])
        driver.advance(by: 30)
        #expect(
            driver.send(.configReloaded(watchList([cluster("a"), cluster("b")]), KubeconfigContents(), listing: nil)) == [
                .fetch(cluster("b"))
            ]
        )
    }

    @Test func aClusterAddedWithEntriesAlreadyThereIsScheduledFromThem() {
        let present = fetched("b", issued: t0 - day)
        var driver = Driver(watchList([cluster("a")]))
        driver.start(["a": fetched("a", issued: t0 - day)])
        let actions = driver.send(
            .configReloaded(watchList([cluster("a"), cluster("b")]), KubeconfigContents(entries: ["b": present]), listing: nil)
        )
        #expect(actions == [.arm(.renewal(watchName: "b"), at: renewal(of: "b", present.clientCertificate))])
    }

    @Test func aClusterRemovedFromTheWatchListIsPrunedInTheNextWrite() {
        var driver = Driver(watchList([cluster("a"), cluster("b")]))
        driver.start(["a": fetched("a", issued: t0 - day), "b": fetched("b", issued: t0 - day)])
        #expect(
            driver.send(.configReloaded(watchList([cluster("a")]), KubeconfigContents(), listing: nil)) == [
                .cancel(.renewal(watchName: "b")), .arm(.write, at: t0 + 0.5),
            ]
        )
        #expect(driver.machine.states.map(\.watchName) == ["a"])
        driver.advance(to: t0 + 0.5)
        #expect(driver.send(.timerFired(.write)) == [.write(WriteRequest(upserts: [], removals: ["b"], pruning: PrunePolicy(kept: ["a"])))])
    }

    @Test func theFetchOfARemovedClusterIsAbandonedAndItsLateAnswerIgnored() {
        var driver = Driver(watchList([cluster("a"), cluster("b")]))
        driver.start(["a": fetched("a", issued: t0 - day)])
        #expect(
            driver.send(.configReloaded(watchList([cluster("a")]), KubeconfigContents(), listing: nil)) == [
                .cancelFetch(watchName: "b"), .arm(.write, at: t0 + 0.5),
            ]
        )
        #expect(driver.send(.fetchFinished(watchName: "b", .success(fetched("b", issued: t0)))) == [])
    }

    @Test func aRefusedWatchListKeepsTheCurrentOneAndSaysSoInTheStatusLine() {
        var driver = Driver(watchList([cluster("a")]))
        driver.start(["a": fetched("a", issued: t0 - day)])
        let reason = "config.yaml:4:5: unknown key \"endpionts\" (did you mean \"endpoints\"?)"
        let actions = driver.sendKeepingAll(.configRefused(reason))
        #expect(
            actions == [
                .log(LogRecord(.error, "new configuration refused; still running on the previous one", [("error", reason)])), .publish,
            ]
        )
        #expect(driver.machine.config.clusters == [cluster("a")])
        #expect(driver.machine.statusLine(at: t0).hasPrefix("configuration refused, running on the previous one: \(reason); 1 fresh"))
        driver.send(.configReloaded(watchList([cluster("a")]), KubeconfigContents(), listing: nil))
        #expect(driver.machine.statusLine(at: t0).hasPrefix("1 fresh"))
    }

    @Test func aReloadKeepsTheScheduleOfClustersThatStay() {
        let present = fetched("a", issued: t0 - day)
        var driver = Driver(watchList([cluster("a")]))
        driver.start(["a": present])
        #expect(driver.send(.configReloaded(watchList([cluster("a")]), KubeconfigContents(entries: ["a": present]), listing: nil)) == [])
    }
}
