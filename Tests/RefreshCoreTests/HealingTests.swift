import Foundation
import Kubeconfig
import RefreshCore
import Renewal
import Testing
import WatchList

@Suite struct HealingTests {
    @Test func anOutsideChangeIsCheckedAfterKubectlHasHadTimeToFinish() {
        let present = fetched("a", issued: t0 - day)
        var driver = Driver(watchList([cluster("a")]))
        driver.start(["a": present])
        #expect(driver.send(.kubeconfigChanged) == [.arm(.heal, at: t0 + 0.3)])
        driver.advance(by: 0.1)
        #expect(driver.send(.kubeconfigChanged) == [])
        driver.advance(to: t0 + 0.3)
        #expect(driver.send(.timerFired(.heal)) == [.heal([present])])
    }

    @Test func aHealRestoresTheEntriesLastWrittenNotThoseFirstFound() {
        let present = fetched("a", issued: t0 - 6.5 * day)
        var driver = Driver(watchList([cluster("a")]))
        driver.start(["a": present])
        let renewed = fetched("a", issued: t0)
        driver.send(.fetchFinished(watchName: "a", .success(renewed)))
        driver.advance(to: t0 + 0.5)
        driver.send(.timerFired(.write))
        driver.send(.writeFinished(.completed(conflicts: [:], changed: ["a"], pruned: [])))
        driver.send(.kubeconfigChanged)
        driver.advance(to: t0 + 0.8)
        #expect(driver.send(.timerFired(.heal)) == [.heal([renewed])])
    }

    @Test func aFileCaughtHalfWrittenIsCheckedAgain() {
        var driver = Driver(watchList([cluster("a")]))
        driver.start(["a": fetched("a", issued: t0 - day)])
        driver.send(.kubeconfigChanged)
        driver.advance(to: t0 + 0.3)
        driver.send(.timerFired(.heal))
        #expect(
            driver.send(.healFinished(.unreadable("~/.kube/config:4:1: did not find expected key"))) == [.arm(.heal, at: driver.now + 0.3)]
        )
    }

    @Test func restoredEntriesAreLogged() {
        var driver = Driver(watchList([cluster("a")]))
        driver.start(["a": fetched("a", issued: t0 - day)])
        let actions = driver.sendKeepingAll(.healFinished(.checked(restored: ["added contexts \"a-internal\""])))
        #expect(
            actions == [
                .log(
                    LogRecord(.notice, "restored managed entries changed outside", [("changes", "[\"added contexts \\\"a-internal\\\"\"]")])
                )
            ]
        )
    }

    @Test func nothingIsHealedBeforeAnythingIsKnown() {
        var driver = Driver(watchList([cluster("a")]))
        driver.start()
        driver.send(.kubeconfigChanged)
        driver.advance(to: t0 + 0.3)
        #expect(driver.send(.timerFired(.heal)) == [])
    }

    @Test func theTickChecksTheKubeconfigToo() {
        var driver = Driver(watchList([cluster("a")]))
        driver.start(["a": fetched("a", issued: t0 - day)])
        driver.advance(by: 60)
        #expect(
            driver.send(.tick(ClockSample(wall: driver.now, boottime: .seconds(60), monotonic: .seconds(60)))) == [
                .arm(.heal, at: driver.now + 0.3)
            ]
        )
    }
}
