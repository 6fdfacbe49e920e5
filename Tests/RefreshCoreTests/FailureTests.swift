import Foundation
import Kubeconfig
import RefreshCore
import Renewal
import Testing
import WatchList

@Suite struct FailureTests {
    /// A started machine whose one cluster `a` is being fetched at `t0`.
    func fetching(_ names: [String] = ["a"], credentials: [String: String] = [:], jitter: Double = 0.5) -> Driver {
        var driver = Driver(watchList(names.map { cluster($0, credentials: credentials[$0] ?? "main") }), jitter: jitter)
        driver.start()
        return driver
    }

    @Test func aFailureIsRetriedAfterTheBackoffFromTwoSecondsWithHalfJitter() {
        var driver = fetching(jitter: 0.5)
        let actions = driver.send(.fetchFinished(watchName: "a", .failure(FetchFailure("HTTP 500", kind: .server))))
        // Ceiling 2 s, jitter 0.5 in [d/2, d): 1.5 s.
        #expect(actions == [.arm(.renewal(watchName: "a"), at: t0 + 1.5)])
        #expect(driver.state("a")?.lastError == "HTTP 500")
        #expect(driver.state("a")?.consecutiveFailures == 1)
        #expect(driver.state("a")?.nextAttempt == t0 + 1.5)
    }

    @Test func eachFailureInARowDoublesTheBackoff() {
        var driver = fetching(jitter: 0)
        var retries: [Date] = []
        for _ in 0..<4 {
            for action in driver.send(.fetchFinished(watchName: "a", .failure(FetchFailure("timeout", kind: .timeout)))) {
                if case .arm(.renewal, let at) = action { retries.append(at) }
            }
            driver.advance(to: retries.last!)
            #expect(driver.send(.timerFired(.renewal(watchName: "a"))) == [.fetch(cluster("a"))])
        }
        // Jitter 0: half of each ceiling, 2, 4, 8 and 16 s.
        #expect(retries == [t0 + 1, t0 + 1 + 2, t0 + 1 + 2 + 4, t0 + 1 + 2 + 4 + 8])
    }

    @Test func aForbiddenClusterIsRetriedSlowly() {
        var driver = fetching()
        let actions = driver.send(.fetchFinished(watchName: "a", .failure(FetchFailure("HTTP 403", kind: .forbidden))))
        // The slow ceiling, 30 min, jittered to three quarters.
        #expect(actions == [.arm(.renewal(watchName: "a"), at: t0 + minutes(22.5))])
    }

    @Test func aRetryNeverSleepsPastTheWorkingCertificatesExpiry() {
        let present = fetched("a", issued: t0 - 7 * day + 600)
        var driver = Driver(watchList([cluster("a")]))
        #expect(driver.start(["a": present]) == [.fetch(cluster("a"))])
        let actions = driver.send(.fetchFinished(watchName: "a", .failure(FetchFailure("HTTP 404", kind: .notFound))))
        #expect(actions == [.arm(.renewal(watchName: "a"), at: t0 + 600)])
    }

    @Test func oneClustersFailureDoesNotDelayAnother() {
        var driver = fetching(["a", "b"])
        driver.send(.fetchFinished(watchName: "a", .failure(FetchFailure("HTTP 500", kind: .server))))
        driver.advance(by: 0.2)
        #expect(driver.send(.fetchFinished(watchName: "b", .success(fetched("b", issued: t0)))) == [.arm(.write, at: t0 + 0.7)])
    }

    @Test func aRefusedAccessKeyPausesEveryClusterUsingItForFifteenMinutes() {
        var driver = Driver(watchList([cluster("a"), cluster("b"), cluster("c", credentials: "other")]))
        driver.start(["b": fetched("b", issued: t0 - 4 * day), "c": fetched("c", issued: t0 - 4 * day)])
        let pausedUntil = t0 + minutes(15)
        let actions = driver.sendKeepingAll(.fetchFinished(watchName: "a", .failure(FetchFailure("HTTP 401", kind: .authentication))))
        #expect(actions.contains { $0.logRecord?.message == "credential set refused; pausing every cluster that uses it" })
        let effects = actions.filter { $0.logRecord == nil && $0 != .publish }
        #expect(effects == [.arm(.renewal(watchName: "a"), at: pausedUntil)])
        // Renewing everything now: a and b are held by the open circuit, c uses another set.
        driver.advance(by: 1)
        #expect(
            driver.send(.renewAllRequested) == [
                .cancel(.renewal(watchName: "a")), .cancel(.renewal(watchName: "b")), .cancel(.renewal(watchName: "c")),
                .arm(.renewal(watchName: "a"), at: pausedUntil), .arm(.renewal(watchName: "b"), at: pausedUntil),
                .fetch(cluster("c", credentials: "other")),
            ]
        )
    }

    @Test func afterThePauseOneClusterProbesTheCredentialWhileTheOthersWait() {
        var driver = Driver(watchList([cluster("a"), cluster("b")]))
        driver.start()
        driver.advance(by: 1)
        let pausedUntil = driver.now + minutes(15)
        driver.send(.fetchFinished(watchName: "a", .failure(FetchFailure("HTTP 401", kind: .authentication))))
        // b's answer to a request sent before the circuit opened changes nothing about the pause.
        #expect(
            driver.send(.fetchFinished(watchName: "b", .failure(FetchFailure("HTTP 401", kind: .authentication)))) == [
                .arm(.renewal(watchName: "b"), at: pausedUntil)
            ]
        )
        driver.advance(to: pausedUntil)
        #expect(driver.send(.timerFired(.renewal(watchName: "a"))) == [.fetch(cluster("a"))])
        // The probe's timeout: 60 s.
        #expect(driver.send(.timerFired(.renewal(watchName: "b"))) == [.arm(.renewal(watchName: "b"), at: pausedUntil + 60)])
    }

    @Test func theProbesSuccessResumesTheWaitingClusters() {
        var driver = Driver(watchList([cluster("a"), cluster("b")]))
        driver.start()
        driver.advance(by: 1)
        let pausedUntil = driver.now + minutes(15)
        driver.send(.fetchFinished(watchName: "a", .failure(FetchFailure("HTTP 401", kind: .authentication))))
        driver.send(.fetchFinished(watchName: "b", .failure(FetchFailure("HTTP 401", kind: .authentication))))
        driver.advance(to: pausedUntil)
        driver.send(.timerFired(.renewal(watchName: "a")))
        driver.send(.timerFired(.renewal(watchName: "b")))
        driver.advance(by: 2)
        let actions = driver.send(.fetchFinished(watchName: "a", .success(fetched("a", issued: driver.now))))
        #expect(actions == [.arm(.write, at: driver.now + 0.5), .cancel(.renewal(watchName: "b")), .fetch(cluster("b"))])
    }

    @Test func aConflictInTheKubeconfigIsRecordedAndRetriedSlowly() {
        var driver = fetching()
        driver.send(.fetchFinished(watchName: "a", .success(fetched("a", issued: t0))))
        driver.advance(by: 0.5)
        driver.send(.timerFired(.write))
        let sentence = "~/.kube/config:3:3: the context \"a-internal\" is not managed by cce-kubeconfigd"
        let actions = driver.send(.writeFinished(.completed(conflicts: ["a": sentence], changed: [], pruned: [])))
        #expect(actions == [.arm(.renewal(watchName: "a"), at: t0 + 0.5 + minutes(22.5))])
        #expect(driver.state("a")?.lastError == sentence)
        #expect(driver.state("a")?.lastSuccess == nil)
    }
}
