import Fleet
import Foundation
import Kubeconfig
import RefreshCore
import Renewal
import Testing
import WatchList

@Suite struct SchedulingTests {
    @Test func everyClusterWithoutACertificateIsFetchedAtStart() {
        var driver = Driver(watchList([cluster("a"), cluster("b")]))
        #expect(driver.start() == [.fetch(cluster("a")), .fetch(cluster("b"))])
    }

    @Test func atMostFourFetchesRunAndAFinishedOneMakesRoomForTheNext() {
        let names = ["a", "b", "c", "d", "e", "f"]
        var driver = Driver(watchList(names.map { cluster($0) }))
        #expect(driver.start() == names.prefix(4).map { .fetch(cluster($0)) })
        driver.advance(by: 1)
        let actions = driver.send(.fetchFinished(watchName: "b", .success(fetched("b", issued: t0))))
        #expect(actions == [.arm(.write, at: t0 + 1.5), .fetch(cluster("e"))])
    }

    @Test func aCertificateInTheKubeconfigIsRenewedAtTwoThirdsOfItsLifetimeLessItsJitter() {
        let present = fetched("a", issued: t0 - day)
        let due = renewal(of: "a", present.clientCertificate)
        var driver = Driver(watchList([cluster("a")]))
        #expect(driver.start(["a": present]) == [.arm(.renewal(watchName: "a"), at: due)])
        #expect(driver.state("a")?.nextAttempt == due)
        driver.advance(to: due)
        #expect(driver.send(.timerFired(.renewal(watchName: "a"))) == [.fetch(cluster("a"))])
    }

    @Test func theJitterIsStableSoTheTickDoesNotMoveTheRenewal() {
        let present = fetched("a", issued: t0 - day)
        var driver = Driver(watchList([cluster("a")]))
        driver.start(["a": present])
        driver.advance(by: 60)
        // Only the kubeconfig check every tick makes; the renewal timer stays as it was armed.
        #expect(
            driver.send(.tick(ClockSample(wall: driver.now, boottime: .seconds(60), monotonic: .seconds(60)))) == [
                .arm(.heal, at: driver.now + 0.3)
            ]
        )
    }

    @Test func theJitterSpreadsClustersWithCertificatesIssuedTogether() {
        let names = (0..<20).map { "c\($0)" }
        var driver = Driver(watchList(names.map { cluster($0) }))
        let actions = driver.start(Dictionary(uniqueKeysWithValues: names.map { ($0, fetched($0, issued: t0 - day)) }))
        let times = Set(actions.compactMap { action -> Date? in if case .arm(_, let date) = action { date } else { nil } })
        let lifetime = 7 * day
        #expect(times.count == 20)
        #expect(times.allSatisfy { $0 <= t0 - day + lifetime * 2 / 3 && $0 > t0 - day + lifetime * 2 / 3 - lifetime / 20 })
    }

    @Test func aCertificateNearExpiryIsFetchedAtOnce() {
        var driver = Driver(watchList([cluster("a")]))
        #expect(driver.start(["a": fetched("a", issued: t0 - 6.5 * day)]) == [.fetch(cluster("a"))])
    }

    @Test func maxRefreshCountsFromTheLastSuccessThatThePersistedStateRecords() {
        let present = fetched("a", issued: t0 - 2 * 3_600)
        let lastSuccess = t0 - 1_800
        var driver = Driver(watchList([cluster("a")], maxRefresh: .seconds(3_600)))
        let actions = driver.start(["a": present], persisted: ["a": ClusterState(lastSuccess: lastSuccess)])
        #expect(actions == [.arm(.renewal(watchName: "a"), at: lastSuccess + 3_600)])
    }

    @Test func aWrittenResultIsScheduledFromItsNewCertificate() {
        var driver = Driver(watchList([cluster("a")]))
        driver.start()
        let result = fetched("a", issued: t0)
        driver.send(.fetchFinished(watchName: "a", .success(result)))
        driver.advance(by: 0.5)
        #expect(driver.send(.timerFired(.write)) == [.write(WriteRequest(upserts: [result], pruning: PrunePolicy(kept: ["a"])))])
        driver.advance(by: 0.1)
        let actions = driver.send(.writeFinished(.completed(conflicts: [:], changed: ["a"], pruned: [])))
        #expect(actions == [.arm(.renewal(watchName: "a"), at: renewal(of: "a", result.clientCertificate))])
        #expect(driver.state("a")?.lastSuccess == t0 + 0.6)
        #expect(driver.state("a")?.certificateNotAfter == t0 + 7 * day)
        #expect(driver.machine.record("a")?.entries == result)
    }

    @Test func renewAllFetchesEveryClusterWhateverItsCertificate() {
        var driver = Driver(watchList([cluster("a"), cluster("b")]))
        driver.start(["a": fetched("a", issued: t0), "b": fetched("b", issued: t0)])
        #expect(
            driver.send(.renewAllRequested) == [
                .cancel(.renewal(watchName: "a")), .cancel(.renewal(watchName: "b")), .fetch(cluster("a")), .fetch(cluster("b")),
            ]
        )
    }

    @Test func renewAllStartsTheBackoffAfreshAndLeavesRunningFetchesAlone() {
        var driver = Driver(watchList([cluster("a"), cluster("b")]))
        driver.start()
        driver.send(.fetchFinished(watchName: "a", .failure(FetchFailure("HTTP 500", kind: .server))))
        #expect(driver.send(.renewAllRequested) == [.cancel(.renewal(watchName: "a")), .fetch(cluster("a"))])
        #expect(driver.machine.record("a")?.retry.consecutiveFailures == 0)
    }
}
