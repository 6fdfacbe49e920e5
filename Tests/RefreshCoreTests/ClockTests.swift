import Foundation
import Kubeconfig
import RefreshCore
import Renewal
import Testing
import WatchList

@Suite struct ClockTests {
    /// A machine started at `t0` with the clocks read then: boot time 1000 s, as much monotonic.
    func started(_ entries: [String: ManagedCluster]) -> Driver {
        var driver = Driver(watchList(entries.keys.sorted().map { cluster($0) }))
        driver.send(
            .started(
                KubeconfigContents(entries: entries),
                persisted: [:],
                clocks: ClockSample(wall: t0, boottime: .seconds(1_000), monotonic: .seconds(1_000))
            )
        )
        return driver
    }

    @Test func aResumeWaitsForTheNetworkThenFetchesWhatBecameDue() {
        let present = fetched("a", issued: t0 - 4 * day)
        var driver = started(["a": present])
        let due = renewal(of: "a", present.clientCertificate)
        // Suspended from one minute after the start until a day later.
        driver.advance(to: t0 + day)
        let sample = ClockSample(wall: driver.now, boottime: .seconds(1_000 + 86_400), monotonic: .seconds(1_060))
        let actions = driver.sendKeepingAll(.tick(sample))
        #expect(actions.contains { $0.logRecord?.message == "resumed from suspend; re-checking after the network settles" })
        #expect(
            actions.filter { $0.logRecord == nil && $0 != .publish } == [
                .arm(.networkSettled, at: driver.now + 5), .arm(.heal, at: driver.now + 0.3),
            ]
        )
        #expect(due < driver.now)
        driver.advance(by: 5)
        #expect(driver.send(.timerFired(.networkSettled)) == [.cancel(.renewal(watchName: "a")), .fetch(cluster("a"))])
    }

    @Test func aWallClockStepReevaluatesAtOnce() {
        let present = fetched("a", issued: t0 - 4 * day)
        var driver = started(["a": present])
        // The wall clock is set a day ahead while only a minute passed.
        driver.advance(to: t0 + day + 60)
        let sample = ClockSample(wall: driver.now, boottime: .seconds(1_060), monotonic: .seconds(1_060))
        let actions = driver.sendKeepingAll(.tick(sample))
        #expect(actions.contains { $0.logRecord?.message == "the wall clock jumped; re-checking every cluster" })
        #expect(
            actions.filter { $0.logRecord == nil && $0 != .publish } == [
                .cancel(.renewal(watchName: "a")), .fetch(cluster("a")), .arm(.heal, at: driver.now + 0.3),
            ]
        )
    }

    @Test func aSteadyTickLeavesTheScheduleAlone() {
        var driver = started(["a": fetched("a", issued: t0 - day)])
        driver.advance(by: 60)
        let sample = ClockSample(wall: driver.now, boottime: .seconds(1_060), monotonic: .seconds(1_060))
        #expect(driver.send(.tick(sample)) == [.arm(.heal, at: driver.now + 0.3)])
    }
}
