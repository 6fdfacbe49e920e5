import Foundation
import Kubeconfig
import RefreshCore
import RefreshState
import Renewal
import Testing
import WatchList

@Suite struct StatusReportTests {
    /// A 7-day certificate issued two days before `t0`.
    let issued = CertificateValidity(notBefore: t0 - days(2), notAfter: t0 + days(5))
    let expired = CertificateValidity(notBefore: t0 - days(8), notAfter: t0 - hours(2))

    func config(_ names: String...) -> WatchListConfig {
        WatchListConfig(
            credentials: [:],
            clusters: names.map { name in
                WatchedCluster(
                    name: name,
                    projectID: String(repeating: "0", count: 32),
                    clusterID: "id-\(name)",
                    region: "ap-southeast-1",
                    options: ClusterOptions(credentials: "default")
                )
            }
        )
    }

    func state(_ clusters: [String: ClusterState]) -> RefreshStateSnapshot {
        RefreshStateSnapshot(updatedAt: t0 - minutes(1), clusters: clusters)
    }

    func succeeded(nextAttempt: Date = t0 + days(2)) -> ClusterState {
        ClusterState(lastSuccess: t0 - days(2), nextAttempt: nextAttempt, certificateNotAfter: t0 + days(5))
    }

    @Test func allClustersWithValidCertificatesAndNoErrorsAreFresh() throws {
        let inventory = try TestKubeconfig.inventory([.init(name: "prod", validity: issued), .init(name: "staging", validity: issued)])
        let report = StatusReport(
            config: config("prod", "staging"),
            inventory: inventory,
            state: state(["prod": succeeded(), "staging": succeeded()]),
            now: t0
        )
        #expect(report.health == .fresh)
        #expect(report.rows.map(\.name) == ["prod", "staging"])
        #expect(report.rows.allSatisfy { $0.health == .fresh })
        #expect(report.rows[0].contexts == ["prod-internal", "prod-external"])
        #expect(report.rows[0].certificateNotAfter == t0 + days(5))
        #expect(report.rows[0].lastRefresh == t0 - days(2))
        #expect(report.rows[0].nextRefresh == t0 + days(2))
        #expect(report.stateUpdatedAt == t0 - minutes(1))
    }

    @Test func aFailingClusterWithAValidCertificateIsDegraded() throws {
        let inventory = try TestKubeconfig.inventory([.init(name: "prod", validity: issued), .init(name: "staging", validity: issued)])
        var failing = succeeded()
        var retry = ClusterRetryState()
        retry.recordFailure(.server, at: t0 - minutes(5), certificateExpiry: t0 + days(5), jitterFraction: 0.5)
        failing.recordFailure("CCE answered HTTP 503", at: t0 - minutes(5), retry: retry)
        let report = StatusReport(
            config: config("prod", "staging"),
            inventory: inventory,
            state: state(["prod": succeeded(), "staging": failing]),
            now: t0
        )

        #expect(report.health == .degraded)
        #expect(report.rows.map(\.health) == [.fresh, .degraded])
        let row = report.rows[1]
        #expect(row.lastError == "CCE answered HTTP 503")
        #expect(row.lastErrorAt == t0 - minutes(5))
        #expect(row.consecutiveFailures == 1)
        #expect(row.nextRefresh == retry.nextAttempt)
    }

    @Test func anErrorFollowedBySuccessIsNoLongerDegrading() throws {
        let inventory = try TestKubeconfig.inventory([.init(name: "prod", validity: issued)])
        var recovered = ClusterState(lastError: "CCE answered HTTP 503", lastErrorAt: t0 - hours(3), consecutiveFailures: 2)
        recovered.recordSuccess(at: t0 - hours(2), certificate: CertificateValidity(notBefore: t0 - hours(2), notAfter: t0 + days(5)))
        let report = StatusReport(config: config("prod"), inventory: inventory, state: state(["prod": recovered]), now: t0)
        #expect(report.health == .fresh)
        #expect(report.rows[0].lastError == "CCE answered HTTP 503")
        #expect(report.rows[0].consecutiveFailures == 0)
    }

    @Test func anErrorAfterTheLastSuccessDegradesEvenWithoutACount() throws {
        let inventory = try TestKubeconfig.inventory([.init(name: "prod", validity: issued)])
        let handWritten = ClusterState(lastSuccess: t0 - hours(3), lastError: "timeout", lastErrorAt: t0 - hours(1))
        let report = StatusReport(config: config("prod"), inventory: inventory, state: state(["prod": handWritten]), now: t0)
        #expect(report.health == .degraded)
    }

    @Test func anExpiredCertificateMakesTheWholeStatusExpired() throws {
        let inventory = try TestKubeconfig.inventory([.init(name: "prod", validity: issued), .init(name: "staging", validity: expired)])
        var failing = succeeded(nextAttempt: t0 + minutes(1))
        failing.consecutiveFailures = 9
        failing.lastError = "CCE answered HTTP 403"
        failing.lastErrorAt = t0 - minutes(1)
        let report = StatusReport(
            config: config("prod", "staging"),
            inventory: inventory,
            state: state(["prod": succeeded(), "staging": failing]),
            now: t0
        )
        #expect(report.health == .expired)
        #expect(report.rows.map(\.health) == [.fresh, .expired])
        #expect(report.rows[1].certificateNotAfter == t0 - hours(2))
    }

    @Test func aCertificateExpiringThisVerySecondIsExpired() throws {
        let inventory = try TestKubeconfig.inventory([.init(name: "prod", validity: issued)])
        let report = StatusReport(config: config("prod"), inventory: inventory, state: nil, now: t0 + days(5))
        #expect(report.health == .expired)
    }

    @Test func aWatchedClusterMissingFromTheKubeconfigIsExpiredAndDueNow() throws {
        let inventory = try TestKubeconfig.inventory([.init(name: "prod", validity: issued)])
        let report = StatusReport(config: config("prod", "new"), inventory: inventory, state: nil, now: t0)
        #expect(report.health == .expired)
        let row = report.rows[1]
        #expect(row.name == "new")
        #expect(row.contexts.isEmpty)
        #expect(row.certificateNotAfter == nil)
        #expect(row.nextRefresh == t0)
        #expect(row.health == .expired)
    }

    @Test func contextsWithoutAReadableCertificateCountAsMissing() throws {
        let inventory = try TestKubeconfig.inventory([.init(name: "prod", validity: nil)])
        let report = StatusReport(config: config("prod"), inventory: inventory, state: state(["prod": succeeded()]), now: t0)
        #expect(report.rows[0].contexts == ["prod-internal", "prod-external"])
        #expect(report.rows[0].certificateNotAfter == nil)
        #expect(report.health == .expired)
    }

    @Test func withoutAStateFileRowsComeFromTheKubeconfigAndThePolicy() throws {
        let justIssued = CertificateValidity(notBefore: t0 - hours(1), notAfter: t0 + days(7) - hours(1))
        let inventory = try TestKubeconfig.inventory([.init(name: "prod", validity: justIssued)])
        let report = StatusReport(config: config("prod"), inventory: inventory, state: nil, now: t0)
        let row = report.rows[0]
        // max_refresh (24 h) counts from notBefore when no refresh is known, and comes first.
        let expected = t0 + hours(23)
        #expect(report.health == .fresh)
        #expect(report.stateUpdatedAt == nil)
        #expect(row.lastRefresh == nil)
        #expect(row.lastError == nil)
        #expect(row.consecutiveFailures == 0)
        #expect(row.nextRefresh == expected)
    }

    @Test func withoutANextAttemptTheNextRefreshFollowsTheLifetimeRuleWithStableJitter() throws {
        let long = CertificateValidity(notBefore: t0 - days(1), notAfter: t0 + days(29))
        let inventory = try TestKubeconfig.inventory([.init(name: "prod", validity: long)])
        var config = config("prod")
        config.maxRefresh = .seconds(days(100))
        let state = state(["prod": ClusterState(lastSuccess: t0 - days(1))])
        let first = StatusReport(config: config, inventory: inventory, state: state, now: t0).rows[0].nextRefresh
        let later = StatusReport(config: config, inventory: inventory, state: state, now: t0 + hours(5)).rows[0].nextRefresh
        #expect(first == later)
        #expect(first > t0 - days(1) + days(20) - days(30) / 20)
        #expect(first <= t0 - days(1) + days(20))
    }

    @Test func theConfigsMaxRefreshBoundsTheNextRefresh() throws {
        let inventory = try TestKubeconfig.inventory([.init(name: "prod", validity: issued)])
        var config = config("prod")
        config.maxRefresh = .seconds(hours(6))
        let report = StatusReport(
            config: config,
            inventory: inventory,
            state: state(["prod": ClusterState(lastSuccess: t0 - hours(1))]),
            now: t0
        )
        #expect(report.rows[0].nextRefresh == t0 + hours(5))
    }

    @Test func withoutAConfigTheRowsAreTheClustersInTheKubeconfig() throws {
        let inventory = try TestKubeconfig.inventory([
            .init(name: "staging", endpoints: ["internal"], validity: issued),
            .init(name: "prod", validity: expired),
        ])
        let report = StatusReport(config: nil, inventory: inventory, state: state(["gone": succeeded()]), now: t0)
        #expect(report.rows.map(\.name) == ["prod", "staging"])
        #expect(report.rows[1].contexts == ["staging-internal"])
        #expect(report.health == .expired)
    }

    @Test func withAConfigOnlyWatchedClustersAreShown() throws {
        let inventory = try TestKubeconfig.inventory([.init(name: "prod", validity: issued), .init(name: "left", validity: expired)])
        let report = StatusReport(config: config("prod"), inventory: inventory, state: nil, now: t0)
        #expect(report.rows.map(\.name) == ["prod"])
        #expect(report.health == .fresh)
    }

    @Test func nothingToWatchIsFresh() throws {
        let report = StatusReport(config: nil, inventory: try TestKubeconfig.inventory([]), state: nil, now: t0)
        #expect(report.rows.isEmpty)
        #expect(report.health == .fresh)
    }

    @Test func healthMapsToExitCodesZeroOneTwo() {
        #expect(StatusHealth.fresh.exitCode == 0)
        #expect(StatusHealth.degraded.exitCode == 1)
        #expect(StatusHealth.expired.exitCode == 2)
        #expect(StatusHealth.allCases.sorted() == [.fresh, .degraded, .expired])
    }
}
