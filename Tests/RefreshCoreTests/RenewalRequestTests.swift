import Foundation
import Kubeconfig
import RefreshCore
import Renewal
import Testing
import WatchList

/// `credential N` asking the running service to renew N: whatever the machine believed of the
/// certificate, N is renewed now, unless its failures hold it back.
@Suite struct RenewalRequestTests {
    @Test func aRequestRenewsAClusterWhoseCertificateTheMachineBelievedFresh() {
        var driver = Driver(watchList([cluster("a"), cluster("b")]))
        driver.start(["a": fetched("a", issued: t0 - day), "b": fetched("b", issued: t0 - day)])
        driver.advance(by: 60)
        #expect(driver.send(.renewRequested(watchName: "a")) == [.cancel(.renewal(watchName: "a")), .fetch(cluster("a"))])
        #expect(driver.state("a")?.certificate == nil)
    }

    @Test func aRequestWaitsForTheBackoffOfAFailedCluster() throws {
        var driver = Driver(watchList([cluster("a")]))
        driver.start()
        driver.advance(by: 1)
        let failed = driver.send(.fetchFinished(watchName: "a", .failure(FetchFailure("HTTP 500", kind: .server))))
        guard case .arm(.renewal(watchName: "a"), let retry)? = failed.first else {
            Issue.record("no retry armed: \(failed)")
            return
        }
        #expect(retry > driver.now)
        #expect(driver.send(.renewRequested(watchName: "a")) == [])
        #expect(driver.state("a")?.nextAttempt == retry)
    }

    @Test func aRequestForAClusterBeingFetchedStartsNoSecondFetch() {
        var driver = Driver(watchList([cluster("a")]))
        #expect(driver.start() == [.fetch(cluster("a"))])
        #expect(driver.send(.renewRequested(watchName: "a")) == [])
    }

    @Test func aRequestForANameNotWatchedDoesNothing() {
        var driver = Driver(watchList([cluster("a")]))
        driver.start(["a": fetched("a", issued: t0 - day)])
        #expect(driver.sendKeepingAll(.renewRequested(watchName: "gone")) == [])
    }
}
