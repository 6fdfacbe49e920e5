import Foundation
import RefreshCore
import Testing

@Suite struct StatusLineTests {
    @Test func freshClustersAndTheNextRenewal() {
        let states: [(watchName: String, state: ClusterState)] = [
            ("a", ClusterState(lastSuccess: t0 - 60, nextAttempt: t0 + 3 * 3_600, certificateNotAfter: t0 + day)),
            ("b", ClusterState(lastSuccess: t0 - 60, nextAttempt: t0 + 90, certificateNotAfter: t0 + day)),
        ]
        #expect(StatusLine.make(states, now: t0) == "2 fresh; next renewal b in 1m 30s")
    }

    @Test func aFailingClusterIsNamedWithItsReasonAndRetry() {
        let states: [(watchName: String, state: ClusterState)] = [
            ("a", ClusterState(lastSuccess: t0 - 60, nextAttempt: t0 + 2 * day, certificateNotAfter: t0 + 3 * day)),
            ("b", ClusterState(lastError: "HTTP 503", lastErrorAt: t0, consecutiveFailures: 2, nextAttempt: t0 + 40)),
            ("c", ClusterState()),
        ]
        #expect(StatusLine.make(states, now: t0) == "1 fresh, 1 retrying (b: HTTP 503; next in 40s), 1 pending; next renewal a in 2d")
    }

    @Test func clustersWaitingForTheRateLimitAreCountedApartFromFailures() {
        let wait = ClusterState.RateLimitWait(until: t0 + 6, reason: "HTTP 429")
        let states: [(watchName: String, state: ClusterState)] = [
            ("a", ClusterState(lastSuccess: t0 - 60, nextAttempt: t0 + 2 * day, certificateNotAfter: t0 + 3 * day)),
            ("b", ClusterState(rateLimited: wait)),
            (
                "c",
                ClusterState(
                    nextAttempt: t0 + 1,
                    certificateNotAfter: t0 + day,
                    rateLimited: ClusterState.RateLimitWait(until: t0 + 12, reason: "HTTP 429")
                )
            ),
        ]
        #expect(StatusLine.make(states, now: t0) == "1 fresh, 2 waiting for the API rate limit (next in 6s); next renewal a in 2d")
    }
}
