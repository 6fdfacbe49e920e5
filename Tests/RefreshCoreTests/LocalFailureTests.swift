import Foundation
import Kubeconfig
import RefreshCore
import Renewal
import Testing
import WatchList

/// Failures where nothing was sent (``FailureKind/local``): a credential that cannot be resolved
/// here, a request that cannot be made as configured.
@Suite struct LocalFailureTests {
    static let missingFile = FetchFailure("credential set \"main\": the file /home/me/.config/cce/sk does not exist", kind: .local)

    @Test func aMissingSecretFileFixedThenSIGUSR1RenewsAtOnceWithTheCircuitNeverOpened() {
        var driver = Driver(watchList([cluster("a"), cluster("b")]))
        driver.start(["b": fetched("b", issued: t0 - 4 * day)])
        let failed = driver.sendKeepingAll(.fetchFinished(watchName: "a", .failure(Self.missingFile)))
        #expect(!failed.contains { $0.logRecord?.message == "credential set refused; pausing every cluster that uses it" })
        // The file is created a minute later, then SIGUSR1: both clusters of the set go at once.
        driver.advance(by: 60)
        #expect(
            driver.send(.renewAllRequested) == [
                .cancel(.renewal(watchName: "a")), .cancel(.renewal(watchName: "b")), .fetch(cluster("a")), .fetch(cluster("b")),
            ]
        )
        driver.advance(by: 1)
        #expect(driver.send(.fetchFinished(watchName: "a", .success(fetched("a", issued: driver.now)))) == [.arm(.write, at: t0 + 61.5)])
        driver.send(.fetchFinished(watchName: "b", .success(fetched("b", issued: driver.now))))
        driver.advance(to: t0 + 61.5)
        driver.send(.timerFired(.write))
        driver.send(.writeFinished(.completed(conflicts: [:], changed: ["a", "b"], pruned: [])))
        #expect(driver.state("a")?.lastSuccess == t0 + 61.5)
    }

    @Test func statusSaysNothingWasSent() {
        var driver = Driver(watchList([cluster("a")]))
        driver.start()
        driver.send(.fetchFinished(watchName: "a", .failure(Self.missingFile)))
        #expect(driver.state("a")?.lastError == "not sent: credential set \"main\": the file /home/me/.config/cce/sk does not exist")
    }

    @Test func aFailureWhereNothingWasSentIsRetriedWithTheBackoff() {
        var driver = Driver(watchList([cluster("a")]), jitter: 0.5)
        driver.start()
        #expect(driver.send(.fetchFinished(watchName: "a", .failure(Self.missingFile))) == [.arm(.renewal(watchName: "a"), at: t0 + 1.5)])
    }

    @Test func aChangedCredentialSourceRetriesWhatWasNotSentAtOnce() {
        var driver = Driver(watchList([cluster("a")]))
        driver.start()
        driver.send(.fetchFinished(watchName: "a", .failure(Self.missingFile)))
        driver.advance(by: 0.5)
        #expect(driver.send(.credentialSourcesChanged(["main"])) == [.cancel(.renewal(watchName: "a")), .fetch(cluster("a"))])
    }

    @Test func aChangedCredentialSourceLeavesOtherFailuresToTheirBackoff() {
        var driver = Driver(watchList([cluster("a")]))
        driver.start()
        driver.send(.fetchFinished(watchName: "a", .failure(FetchFailure("HTTP 500", kind: .server))))
        #expect(driver.send(.credentialSourcesChanged(["main"])) == [])
    }

    @Test func aChangeOfAnotherSetsSourceRetriesNothing() {
        var driver = Driver(watchList([cluster("a")]))
        driver.start()
        driver.send(.fetchFinished(watchName: "a", .failure(Self.missingFile)))
        #expect(driver.send(.credentialSourcesChanged(["other"])) == [])
    }

    @Test func aReloadRetriesWhatWasNotSentAtOnce() {
        var driver = Driver(watchList([cluster("a")]))
        driver.start()
        driver.send(.fetchFinished(watchName: "a", .failure(Self.missingFile)))
        #expect(
            driver.send(.configReloaded(watchList([cluster("a")]), KubeconfigContents(), listing: nil)) == [
                .cancel(.renewal(watchName: "a")), .fetch(cluster("a")),
            ]
        )
    }

    @Test func aPassReportsACredentialItCannotResolveAsNotSent() {
        var driver = Driver(watchList([cluster("a")]), mode: .pass(force: false, only: nil))
        driver.start()
        driver.send(.fetchFinished(watchName: "a", .failure(Self.missingFile)))
        #expect(
            driver.machine.passOutcomes["a"]
                == .failed("not sent: credential set \"main\": the file /home/me/.config/cce/sk does not exist")
        )
    }
}

/// A credential set whose source changed is no longer judged by what its old secrets got.
@Suite struct ChangedCredentialTests {
    static let refused = FetchFailure("HTTP 401", kind: .authentication)

    @Test func aChangedSourceClosesTheCircuitTheOldSecretOpened() {
        var driver = Driver(watchList([cluster("a"), cluster("b")]))
        driver.start(["b": fetched("b", issued: t0 - 4 * day)])
        driver.send(.fetchFinished(watchName: "a", .failure(Self.refused)))
        driver.advance(by: 60)
        #expect(driver.send(.credentialSourcesChanged(["main"])) == [.cancel(.renewal(watchName: "a")), .fetch(cluster("a"))])
    }

    @Test func aReloadThatChangesTheSetClosesItsCircuit() {
        var driver = Driver(watchList([cluster("a")]))
        driver.start()
        driver.send(.fetchFinished(watchName: "a", .failure(Self.refused)))
        var changed = watchList([cluster("a")])
        changed.credentials["main"] = .aksk(accessKey: .inline("AK"), secretKey: .file("/home/me/sk"), securityToken: nil)
        #expect(
            driver.send(.configReloaded(changed, KubeconfigContents(), listing: nil)) == [
                .cancel(.renewal(watchName: "a")), .fetch(cluster("a")),
            ]
        )
    }

    @Test func aReloadThatLeavesTheSetAsItWasKeepsItsCircuitOpen() {
        var driver = Driver(watchList([cluster("a")]))
        driver.start()
        driver.send(.fetchFinished(watchName: "a", .failure(Self.refused)))
        #expect(driver.send(.configReloaded(watchList([cluster("a")]), KubeconfigContents(), listing: nil)) == [])
    }
}
