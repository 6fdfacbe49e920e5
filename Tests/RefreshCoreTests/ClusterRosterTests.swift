import Foundation
import Kubeconfig
import RefreshCore
import Renewal
import Testing
import WatchList

/// The books of the watched clusters: their records across watch-list changes, and each move of
/// a cluster through its cycle.
@Suite struct ClusterRosterTests {
    static let refused = FetchFailure("HTTP 401", kind: .authentication)
    static let notSent = FetchFailure("not sent: the file /run/sk does not exist", kind: .local)

    func roster(_ clusters: [WatchedCluster], entries: [String: ManagedCluster] = [:]) -> ClusterRoster {
        var roster = ClusterRoster()
        _ = roster.adopt(clusters, contents: KubeconfigContents(entries: entries))
        return roster
    }

    // MARK: - The watch list

    @Test func aNewClusterStartsFromTheCertificateInTheKubeconfig() {
        let found = fetched("a", issued: t0)
        let roster = roster([cluster("a")], entries: ["a": found])
        #expect(roster["a"]?.state.certificate == found.clientCertificate)
        #expect(roster["a"]?.entries == found)
    }

    @Test func aNewClusterTakesThePersistedStateButNotItsPacerWait() {
        var persisted = ClusterState()
        persisted.lastError = "HTTP 500"
        persisted.rateLimited = ClusterState.RateLimitWait(until: t0 + 60, reason: "HTTP 429")
        var roster = ClusterRoster()
        _ = roster.adopt([cluster("a")], contents: KubeconfigContents(), persisted: ["a": persisted])
        #expect(roster["a"]?.state.lastError == "HTTP 500")
        #expect(roster["a"]?.state.rateLimited == nil)
    }

    @Test func aKnownClusterKeepsItsBackoffAcrossAnAdoption() {
        var roster = roster([cluster("a")])
        _ = roster.failed("a", Self.refused, at: t0, jitterFraction: 0.5)
        _ = roster.adopt([cluster("a")], contents: KubeconfigContents())
        #expect(roster["a"]?.retry.consecutiveFailures == 1)
    }

    @Test func aWatchNameRepointedToAnotherClusterLosesCertificateAndBackoff() {
        var roster = roster([cluster("a")], entries: ["a": fetched("a", issued: t0)])
        _ = roster.failed("a", Self.refused, at: t0, jitterFraction: 0.5)
        var replaced = cluster("a")
        replaced.clusterID = "cluster-a-recreated"
        _ = roster.adopt([replaced], contents: KubeconfigContents())
        #expect(roster["a"]?.state.certificate == nil)
        #expect(roster["a"]?.retry.consecutiveFailures == 0)
        #expect(roster["a"]?.cluster.clusterID == "cluster-a-recreated")
    }

    @Test func theStateCarriesTheConsoleNameTheWatchListGives() {
        var named = cluster("a")
        named.consoleName = "shop-prod"
        let roster = roster([named])
        #expect(roster.states.map(\.state.consoleName) == ["shop-prod"])
    }

    @Test func clustersThatLeaveAreReportedWithTheirArmedTimers() {
        var roster = roster([cluster("a"), cluster("b"), cluster("c")])
        _ = roster.schedule("b", at: t0 + 60)
        let departures = roster.adopt([cluster("c")], contents: KubeconfigContents())
        #expect(
            departures == [
                ClusterRoster.Departure(watchName: "a", wasScheduled: false),
                ClusterRoster.Departure(watchName: "b", wasScheduled: true),
            ]
        )
        #expect(roster["a"] == nil && roster["b"] == nil)
    }

    @Test func statesFollowTheWatchListOrder() {
        let roster = roster([cluster("b"), cluster("a"), cluster("c")])
        #expect(roster.states.map(\.watchName) == ["b", "a", "c"])
    }

    // MARK: - Moves

    @Test func schedulingTheSameInstantTwiceArmsOnce() {
        var roster = roster([cluster("a")])
        let first = roster.schedule("a", at: t0 + 60)
        let again = roster.schedule("a", at: t0 + 60)
        let moved = roster.schedule("a", at: t0 + 120)
        #expect(first && !again && moved)
    }

    @Test func anUnknownClusterIsNeverScheduled() {
        var roster = roster([cluster("a")])
        let armed = roster.schedule("gone", at: t0 + 60)
        #expect(!armed)
    }

    @Test func admittingAScheduledClusterCancelsItsTimer() {
        var roster = roster([cluster("a"), cluster("b")])
        _ = roster.schedule("a", at: t0 + 60)
        let scheduled = roster.admit("a")
        let idle = roster.admit("b")
        #expect(scheduled?.cancelsTimer == true)
        #expect(idle?.cancelsTimer == false)
        #expect(roster["a"]?.activity == .admitted)
    }

    @Test func aClusterOnItsWayIsNotAdmittedAgain() {
        var roster = roster([cluster("a")])
        _ = roster.admit("a")
        let again = roster.admit("a")
        #expect(again == nil)
        #expect(!roster.waits("a"))
    }

    @Test func aTimerOfAClusterNotScheduledIsIgnored() {
        var roster = roster([cluster("a")])
        _ = roster.admit("a")
        let fired = roster.timerFired("a")
        #expect(!fired)
        #expect(roster["a"]?.activity == .admitted)
    }

    @Test func aFiredTimerLeavesTheClusterIdle() {
        var roster = roster([cluster("a")])
        _ = roster.schedule("a", at: t0 + 60)
        let fired = roster.timerFired("a")
        #expect(fired)
        #expect(roster["a"]?.activity == .idle)
    }

    @Test func aResultForAClusterNotAdmittedIsIgnored() {
        var roster = roster([cluster("a")])
        roster.fetched("a", fetched("a", issued: t0))
        #expect(!roster.resultsWait)
    }

    @Test func aWriteTakesEveryWaitingResultInWatchListOrder() {
        var roster = roster([cluster("b"), cluster("a"), cluster("c")])
        for name in ["a", "b"] {
            _ = roster.admit(name)
            roster.fetched(name, fetched(name, issued: t0))
        }
        let upserts = roster.beginWrite()
        #expect(upserts.map(\.owner.watchName) == ["b", "a"])
        #expect(!roster.resultsWait)
        #expect(roster.holdsResults)
    }

    @Test func anEndedWriteLeavesItsClustersIdle() {
        var roster = roster([cluster("a")])
        _ = roster.admit("a")
        roster.fetched("a", fetched("a", issued: t0))
        _ = roster.beginWrite()
        let written = roster.endWrite(keepingResults: false)
        #expect(written.map(\.watchName) == ["a"])
        #expect(roster["a"]?.activity == .idle)
        #expect(!roster.holdsResults)
    }

    @Test func aWriteEndedKeepingResultsPutsThemBackForTheNextWrite() {
        var roster = roster([cluster("a")])
        _ = roster.admit("a")
        roster.fetched("a", fetched("a", issued: t0))
        _ = roster.beginWrite()
        _ = roster.endWrite(keepingResults: true)
        #expect(roster.resultsWait)
        let upserts = roster.beginWrite()
        #expect(upserts.map(\.owner.watchName) == ["a"])
    }

    // MARK: - Outcomes

    @Test func aWrittenResultBecomesTheCertificateAndTheEntriesToKeep() {
        var roster = roster([cluster("a")])
        _ = roster.failed("a", Self.refused, at: t0, jitterFraction: 0.5)
        let result = fetched("a", issued: t0 + 10)
        roster.written("a", result, at: t0 + 10)
        #expect(roster["a"]?.state.certificate == result.clientCertificate)
        #expect(roster["a"]?.retry.consecutiveFailures == 0)
        #expect(roster.entriesToKeep == [result])
    }

    @Test func aFailureReturnsTheNextAttemptAndRecordsTheSentence() throws {
        var roster = roster([cluster("a")])
        let failed = roster.failed("a", Self.refused, at: t0, jitterFraction: 0.5)
        let next = try #require(failed)
        #expect(next > t0)
        #expect(roster["a"]?.state.lastError == Self.refused.sentence)
        #expect(roster["a"]?.retry.nextAttempt == next)
    }

    @Test func aFailureOfAnUnknownClusterPlansNothing() {
        var roster = roster([cluster("a")])
        let next = roster.failed("gone", Self.refused, at: t0, jitterFraction: 0.5)
        #expect(next == nil)
    }

    @Test func forgettingACertificateMakesTheClusterDueAndNamesOnlyKnownClusters() {
        var roster = roster([cluster("a")], entries: ["a": fetched("a", issued: t0)])
        let known = roster.forgetCertificate("a")
        let unknown = roster.forgetCertificate("gone")
        #expect(known && !unknown)
        #expect(roster["a"]?.state.certificate == nil)
    }

    @Test func forgettingFailuresOfOneKindLeavesTheOthers() {
        var roster = roster([cluster("a"), cluster("b")])
        _ = roster.failed("a", Self.notSent, at: t0, jitterFraction: 0.5)
        _ = roster.failed("b", Self.refused, at: t0, jitterFraction: 0.5)
        roster.forgetFailures(of: ["main"], [.local])
        #expect(roster["a"]?.retry.consecutiveFailures == 0)
        #expect(roster["b"]?.retry.consecutiveFailures == 1)
    }

    @Test func forgettingFailuresOfOneSetLeavesTheOtherSets() {
        var roster = roster([cluster("a"), cluster("b", credentials: "other")])
        _ = roster.failed("a", Self.refused, at: t0, jitterFraction: 0.5)
        _ = roster.failed("b", Self.refused, at: t0, jitterFraction: 0.5)
        roster.forgetFailures(of: ["other"])
        #expect(roster["a"]?.retry.consecutiveFailures == 1)
        #expect(roster["b"]?.retry.consecutiveFailures == 0)
    }
}
