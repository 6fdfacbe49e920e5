import Fleet
import Foundation
import RefreshCore
import RefreshState
import Testing

/// The state file and `status` must never be able to hold a credential, whatever the daemon
/// passes: so the models have no field for one. A new field fails these tests until it is
/// reviewed and added here.
@Suite struct SecretFreeModelTests {
    func labels(_ value: Any) -> [String] {
        Mirror(reflecting: value).children.compactMap(\.label).sorted()
    }

    @Test func clusterStateHoldsOnlyTimesCountsAndTheErrorSentence() {
        #expect(
            labels(ClusterState()) == [
                "certificateNotAfter", "certificateNotBefore", "consecutiveFailures", "consoleName", "lastError", "lastErrorAt",
                "lastSuccess", "nextAttempt", "rateLimited",
            ]
        )
    }

    @Test func aRateLimitWaitHoldsOnlyATimeAndTheGatewaysSentence() {
        #expect(labels(ClusterState.RateLimitWait(until: t0, reason: "HTTP 429")) == ["reason", "until"])
    }

    @Test func snapshotHoldsOnlyItsVersionTimeClusterStatesResolutionsAndListingFailures() {
        #expect(labels(RefreshStateSnapshot(updatedAt: t0)) == ["clusters", "listingFailures", "resolutions", "updatedAt", "version"])
    }

    /// Names and ids only: a credential set is named, never held.
    @Test func resolutionsHoldOnlyNamesAndIds() {
        #expect(labels(ResolutionCache()) == ["clusters", "projects"])
        #expect(
            labels(ResolutionCache.Project(credentials: "main", cloud: "huaweicloud", region: "r", name: "r", id: "p")) == [
                "cloud", "credentials", "id", "name", "region",
            ]
        )
        #expect(labels(ResolutionCache.Cluster(projectID: "p", type: "cce", name: "web", id: "c")) == ["id", "name", "projectID", "type"])
    }

    @Test func statusRowsHoldNoCertificateOrKeyData() {
        let row = StatusRow(
            name: "prod",
            contexts: [],
            certificateNotAfter: nil,
            lastRefresh: nil,
            nextRefresh: t0,
            lastError: nil,
            lastErrorAt: nil,
            consecutiveFailures: 0,
            health: .fresh
        )
        #expect(
            labels(row) == [
                "certificateNotAfter", "consecutiveFailures", "consoleName", "contexts", "credentialMode", "health", "lastError",
                "lastErrorAt", "lastRefresh", "name", "nextRefresh", "rateLimited",
            ]
        )
    }

    @Test func writtenStateHasNoKeyNamedLikeASecret() throws {
        let full = ClusterState(
            lastSuccess: t0,
            lastError: "e",
            lastErrorAt: t0,
            consecutiveFailures: 1,
            nextAttempt: t0,
            certificateNotAfter: t0,
            consoleName: "prod"
        )
        let resolutions = ResolutionCache(
            projects: [.init(credentials: "main", cloud: "huaweicloud", region: "r", name: "r", id: "p")],
            clusters: [.init(projectID: "p", type: "cce", name: "prod", id: "c")]
        )
        let text = String(
            decoding: RefreshStateSnapshot(updatedAt: t0, clusters: ["prod": full], resolutions: resolutions).encoded(),
            as: UTF8.self
        ).lowercased()
        for word in ["key", "secret", "token", "password", "data", "pem", "\"ak\"", "\"sk\""] {
            #expect(!text.contains(word), "\(word)")
        }
    }
}
