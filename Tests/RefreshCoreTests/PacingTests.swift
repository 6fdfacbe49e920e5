import Foundation
import Kubeconfig
import RefreshCore
import Renewal
import Testing
import WatchList

/// The API gateway's 429s: each credential set's requests wait for its pacer, and a throttled
/// cluster waits in the queue instead of failing.
@Suite struct PacingTests {
    static func throttle(retryAfter: TimeInterval?) -> Result<ManagedCluster, FetchFailure> {
        .failure(
            FetchFailure(
                "cluster \"a\": CCE is throttling requests; retry later (HTTP 429).",
                kind: .throttled(retryAfter: retryAfter.map { .seconds($0) })
            )
        )
    }

    /// Five clusters of `main` started at `t0`: a, b, c and d are being fetched, e is queued.
    func fiveFetching(mode: RefreshMachine.Mode = .service) -> Driver {
        var driver = Driver(watchList(["a", "b", "c", "d", "e"].map { cluster($0) }), mode: mode)
        #expect(driver.start() == ["a", "b", "c", "d"].map { .fetch(cluster($0)) })
        return driver
    }

    @Test func aThrottledClusterWaitsForRetryAfterWithoutCountingAFailure() {
        var driver = Driver(watchList([cluster("a")]))
        driver.start()
        #expect(
            driver.send(.fetchFinished(watchName: "a", Self.throttle(retryAfter: 60))) == [.arm(.pacer(credentials: "main"), at: t0 + 60)]
        )
        let state = driver.state("a")
        #expect(state?.consecutiveFailures == 0)
        #expect(state?.isFailing == false)
        #expect(
            state?.rateLimited
                == ClusterState.RateLimitWait(until: t0 + 60, reason: "cluster \"a\": CCE is throttling requests; retry later (HTTP 429).")
        )
    }

    @Test func thePacerTimerSendsTheThrottledClusterBeforeTheQueuedOnes() {
        var driver = fiveFetching()
        driver.advance(by: 1)
        // b, c and d went through with a: the limit is three a minute, and their slots free at t0 + 61.
        #expect(
            driver.send(.fetchFinished(watchName: "a", Self.throttle(retryAfter: nil))) == [.arm(.pacer(credentials: "main"), at: t0 + 61)]
        )
        #expect(driver.state("e")?.rateLimited?.until == t0 + 61)
        driver.advance(to: t0 + 1.5)
        #expect(driver.send(.fetchFinished(watchName: "b", .success(fetched("b", issued: t0)))) == [.arm(.write, at: t0 + 2)])
        driver.advance(to: t0 + 61)
        #expect(driver.send(.timerFired(.pacer(credentials: "main"))) == [.fetch(cluster("a")), .fetch(cluster("e"))])
        #expect(driver.state("e")?.rateLimited == nil)
    }

    @Test func requestsBeyondTheLearnedLimitWaitForTheWindowToMoveOn() {
        var driver = Driver(watchList(["a", "b", "c"].map { cluster($0) }))
        driver.start()
        driver.advance(by: 1)
        driver.send(.fetchFinished(watchName: "b", .success(fetched("b", issued: t0))))
        // One went through before c's 429: one a minute, so a waits until b's slot frees too.
        #expect(
            driver.send(.fetchFinished(watchName: "c", Self.throttle(retryAfter: 10))) == [.arm(.pacer(credentials: "main"), at: t0 + 61)]
        )
    }

    @Test func aThrottleHoldsBackOnlyItsOwnCredentialSet() {
        var driver = Driver(watchList(["a", "b", "c", "d", "e"].map { cluster($0, credentials: $0 == "e" ? "other" : "main") }))
        driver.start()
        let actions = driver.send(.fetchFinished(watchName: "a", Self.throttle(retryAfter: 90)))
        #expect(actions == [.fetch(cluster("e", credentials: "other")), .arm(.pacer(credentials: "main"), at: t0 + 90)])
    }

    @Test func aPacerWithoutAThrottleSpacesNothing() {
        var driver = fiveFetching()
        driver.advance(by: 0.1)
        #expect(
            driver.send(.fetchFinished(watchName: "a", .success(fetched("a", issued: t0)))) == [
                .arm(.write, at: t0 + 0.6), .fetch(cluster("e")),
            ]
        )
    }

    @Test func theFetchThatGoesOutClearsTheWait() {
        var driver = Driver(watchList([cluster("a")]))
        driver.start()
        driver.send(.fetchFinished(watchName: "a", Self.throttle(retryAfter: 5)))
        driver.advance(by: 5)
        #expect(driver.send(.timerFired(.pacer(credentials: "main"))) == [.fetch(cluster("a"))])
        #expect(driver.state("a")?.rateLimited == nil)
    }

    @Test func aPassWaitsForThePacerAndGivesUpOnAClusterAfterThreeThrottles() {
        var driver = Driver(watchList([cluster("a")]), mode: .pass(force: false, only: nil))
        driver.start()
        for attempt in 1...2 {
            #expect(
                driver.send(.fetchFinished(watchName: "a", Self.throttle(retryAfter: 5))) == [
                    .arm(.pacer(credentials: "main"), at: driver.now + 5)
                ],
                "429 number \(attempt)"
            )
            driver.advance(by: 5)
            #expect(driver.send(.timerFired(.pacer(credentials: "main"))) == [.fetch(cluster("a"))])
        }
        let last = driver.send(.fetchFinished(watchName: "a", Self.throttle(retryAfter: 5)))
        #expect(last.contains { if case .write = $0 { true } else { false } })
        #expect(driver.machine.passOutcomes["a"] == .failed("cluster \"a\": CCE is throttling requests; retry later (HTTP 429)."))
    }

    @Test func aPassIsNotIdleWhileAClusterWaitsForThePacer() {
        var driver = Driver(watchList([cluster("a")]), mode: .pass(force: false, only: nil))
        driver.start()
        driver.send(.fetchFinished(watchName: "a", Self.throttle(retryAfter: 5)))
        #expect(!driver.machine.isIdle)
    }

    @Test func aPersistedWaitIsForgottenAtStart() {
        var driver = Driver(watchList([cluster("a")]))
        let persisted = ClusterState(rateLimited: ClusterState.RateLimitWait(until: t0 + 60, reason: "HTTP 429"))
        #expect(driver.start(persisted: ["a": persisted]) == [.fetch(cluster("a"))])
        #expect(driver.state("a")?.rateLimited == nil)
    }
}
