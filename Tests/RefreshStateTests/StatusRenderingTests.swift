import Foundation
import Kubeconfig
import RefreshCore
import RefreshState
import Testing
import WatchList

@Suite struct StatusRenderingTests {
    /// Three clusters: one fresh, one failing with a valid certificate, one missing from the kubeconfig.
    func report() throws -> StatusReport {
        let inventory = try TestKubeconfig.inventory([
            .init(name: "prod", validity: CertificateValidity(notBefore: t0 - days(1), notAfter: t0 + days(6) + hours(3))),
            .init(
                name: "staging-eu",
                endpoints: ["internal"],
                validity: CertificateValidity(notBefore: t0 - days(5), notAfter: t0 + hours(2))
            ),
        ])
        let config = WatchListConfig(
            credentials: [:],
            clusters: ["prod", "staging-eu", "dev"].map { name in
                WatchedCluster(
                    name: name,
                    projectID: String(repeating: "0", count: 32),
                    clusterID: "id",
                    region: "ap-southeast-1",
                    options: ClusterOptions(credentials: "default")
                )
            }
        )
        let state = RefreshStateSnapshot(
            updatedAt: t0 - minutes(1),
            clusters: [
                "prod": ClusterState(
                    lastSuccess: t0 - hours(2),
                    nextAttempt: t0 + days(4) + hours(1) + 30,
                    certificateNotAfter: t0 + days(6) + hours(3)
                ),
                "staging-eu": ClusterState(
                    lastSuccess: t0 - days(5),
                    lastError: "CCE answered HTTP 503\nService Unavailable",
                    lastErrorAt: t0 - minutes(5),
                    consecutiveFailures: 3,
                    nextAttempt: t0 + 40,
                    certificateNotAfter: t0 + hours(2)
                ),
            ]
        )
        return StatusReport(config: config, inventory: inventory, state: state, now: t0)
    }

    @Test func tableHasAlignedColumnsHumanTimesAndASummary() throws {
        #expect(
            try report().table == """
                NAME         CLUSTER   CONTEXTS                      MODE    EXPIRES    LAST REFRESH   NEXT REFRESH   LAST ERROR
                prod         -         prod-internal,prod-external   embed   in 6d 3h   2h ago         in 4d 1h       -
                staging-eu   -         staging-eu-internal           embed   in 2h      5d ago         in 40s         CCE answered HTTP 503 Service Unavailable (3 failures, 5m ago)
                dev          -         -                             embed   missing    -              overdue        -

                health: expired (1 fresh, 1 degraded, 1 expired); daemon state written 1m ago
                """
        )
    }

    @Test func tableSaysWhenThereIsNoDaemonStateAndWhenACertificateExpired() throws {
        let inventory = try TestKubeconfig.inventory([
            .init(
                name: "prod",
                endpoints: ["internal"],
                validity: CertificateValidity(notBefore: t0 - days(7), notAfter: t0 - hours(2) - minutes(5))
            )
        ])
        #expect(
            StatusReport(config: nil, inventory: inventory, state: nil, now: t0).table == """
                NAME   CLUSTER   CONTEXTS        MODE    EXPIRES             LAST REFRESH   NEXT REFRESH   LAST ERROR
                prod   -         prod-internal   embed   expired 2h 5m ago   -              overdue        -

                health: expired (1 expired); no daemon state (the daemon has not run)
                """
        )
    }

    @Test func aClusterWaitingForTheRateLimitShowsWhenItGoesOnNotAFailure() throws {
        let inventory = try TestKubeconfig.inventory([])
        let config = WatchListConfig(
            credentials: [:],
            clusters: [
                WatchedCluster(
                    name: "dev",
                    projectID: String(repeating: "0", count: 32),
                    clusterID: "id",
                    region: "ap-southeast-1",
                    options: ClusterOptions(credentials: "default")
                )
            ]
        )
        let wait = ClusterState.RateLimitWait(
            until: t0 + 42,
            reason: "cluster \"dev\": CCE is throttling requests; retry after 42s (HTTP 429)."
        )
        let state = RefreshStateSnapshot(updatedAt: t0, clusters: ["dev": ClusterState(rateLimited: wait)])
        let report = StatusReport(config: config, inventory: inventory, state: state, now: t0)
        #expect(report.rows.first?.rateLimited == wait)
        #expect(report.table.contains("in 42s (API rate limit)"))
        #expect(report.json().contains(#""until" : "2026-05-09T06:14:02Z""#))
    }

    @Test func aFailedListingMakesTheHealthDegradedAndIsShownAboveTheSummary() throws {
        let inventory = try TestKubeconfig.inventory([
            .init(name: "prod", validity: CertificateValidity(notBefore: t0 - days(1), notAfter: t0 + days(6)))
        ])
        let failure = "cannot list the clusters of project cn-north-4 in region cn-north-4: CCE failed (HTTP 500)."
        let state = RefreshStateSnapshot(
            updatedAt: t0,
            clusters: ["prod": ClusterState(lastSuccess: t0 - hours(1))],
            listingFailures: [failure]
        )
        let report = StatusReport(config: nil, inventory: inventory, state: state, now: t0)
        #expect(report.health == .degraded)
        #expect(report.listingFailures == [failure])
        #expect(
            report.table.hasSuffix(
                """

                fleet listing incomplete, nothing it could have shown is pruned: \(failure)
                health: degraded (1 fresh); daemon state written now
                """
            )
        )
    }

    @Test func jsonHasEveryKeyAlwaysInAStableOrder() throws {
        #expect(
            try report().json() == """
                {
                  "clusters" : [
                    {
                      "certificateNotAfter" : "2026-05-15T09:13:20Z",
                      "consecutiveFailures" : 0,
                      "consoleName" : null,
                      "contexts" : [
                        "prod-internal",
                        "prod-external"
                      ],
                      "credentialMode" : "embed",
                      "health" : "fresh",
                      "lastError" : null,
                      "lastErrorAt" : null,
                      "lastRefresh" : "2026-05-09T04:13:20Z",
                      "name" : "prod",
                      "nextRefresh" : "2026-05-13T07:13:50Z",
                      "rateLimited" : null
                    },
                    {
                      "certificateNotAfter" : "2026-05-09T08:13:20Z",
                      "consecutiveFailures" : 3,
                      "consoleName" : null,
                      "contexts" : [
                        "staging-eu-internal"
                      ],
                      "credentialMode" : "embed",
                      "health" : "degraded",
                      "lastError" : "CCE answered HTTP 503\\nService Unavailable",
                      "lastErrorAt" : "2026-05-09T06:08:20Z",
                      "lastRefresh" : "2026-05-04T06:13:20Z",
                      "name" : "staging-eu",
                      "nextRefresh" : "2026-05-09T06:14:00Z",
                      "rateLimited" : null
                    },
                    {
                      "certificateNotAfter" : null,
                      "consecutiveFailures" : 0,
                      "consoleName" : null,
                      "contexts" : [

                      ],
                      "credentialMode" : "embed",
                      "health" : "expired",
                      "lastError" : null,
                      "lastErrorAt" : null,
                      "lastRefresh" : null,
                      "name" : "dev",
                      "nextRefresh" : "2026-05-09T06:13:20Z",
                      "rateLimited" : null
                    }
                  ],
                  "exitCode" : 2,
                  "generatedAt" : "2026-05-09T06:13:20Z",
                  "health" : "expired",
                  "listingFailures" : [

                  ],
                  "stateUpdatedAt" : "2026-05-09T06:12:20Z"
                }

                """
        )
    }

    @Test func jsonRowsHaveTheSameKeysWhateverIsKnown() throws {
        let object = try JSONSerialization.jsonObject(with: Data(try report().json().utf8)) as? [String: Any]
        let rows = try #require(object?["clusters"] as? [[String: Any]])
        let keys = [
            "certificateNotAfter", "consecutiveFailures", "consoleName", "contexts", "credentialMode", "health", "lastError", "lastErrorAt",
            "lastRefresh", "name", "nextRefresh", "rateLimited",
        ]
        #expect(rows.count == 3)
        #expect(rows.allSatisfy { $0.keys.sorted() == keys })
        #expect(object?.keys.sorted() == ["clusters", "exitCode", "generatedAt", "health", "listingFailures", "stateUpdatedAt"])
    }
}
