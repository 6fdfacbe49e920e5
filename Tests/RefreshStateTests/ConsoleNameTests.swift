import Foundation
import Kubeconfig
import RefreshCore
import RefreshState
import Testing
import WatchList

/// `status` and `list` show each cluster's console name: as the watch list writes it, or as the
/// daemon's listing found it for a discovered cluster (through the state file).
@Suite struct ConsoleNameTests {
    static let project = "0123456789abcdef0123456789abcdef"

    /// `db` by id, `shop-prod` by its console name, and a discovery rule when `discovering`.
    func config(discovering: Bool = false) throws -> WatchListConfig {
        var text = "credentials: {main: {type: sdk}}\nclusters:\n"
        text +=
            "  - {name: db, project_id: \(Self.project), cluster_id: 4e7a9f1c-0000-11ee-8f3a-0255ac100b03, region: cn-north-4, credentials: main}\n"
        text += "  - {cluster: shop-prod, region: cn-north-4, credentials: main}\n"
        if discovering { text += "discover:\n  - {regions: [cn-north-4], credentials: main}\n" }
        return try WatchListConfig.parse(Array(text.utf8), path: "config.yaml", fileMode: 0o600, homeDirectory: "/home/me")
    }

    let validity = CertificateValidity(notBefore: t0 - days(1), notAfter: t0 + days(6))

    @Test func aClusterNamedInTheWatchListShowsItsConsoleNameAndOneGivenByIdShowsNone() throws {
        let inventory = try TestKubeconfig.inventory([.init(name: "db", validity: validity), .init(name: "shop-prod", validity: validity)])
        let report = StatusReport(config: try config(), inventory: inventory, state: nil, now: t0)
        #expect(report.rows.map(\.name) == ["db", "shop-prod"])
        #expect(report.rows.map(\.consoleName) == [nil, "shop-prod"])
    }

    @Test func aDiscoveredClusterIsShownWithTheNameItsListingFound() throws {
        let inventory = try TestKubeconfig.inventory([.init(name: "web", validity: validity)])
        let state = RefreshStateSnapshot(
            updatedAt: t0 - minutes(1),
            clusters: [
                "web": ClusterState(
                    lastSuccess: t0 - days(1),
                    certificateNotAfter: validity.notAfter,
                    certificateNotBefore: validity.notBefore,
                    consoleName: "web"
                )
            ]
        )
        let report = StatusReport(config: try config(discovering: true), inventory: inventory, state: state, now: t0)
        #expect(report.rows.map(\.name) == ["db", "shop-prod", "web"])
        #expect(report.rows.last?.consoleName == "web")
    }

    @Test func aClusterLeftInTheStateIsNotShownWithoutDiscovery() throws {
        let state = RefreshStateSnapshot(updatedAt: t0, clusters: ["web": ClusterState(consoleName: "web")])
        let report = StatusReport(config: try config(), inventory: try TestKubeconfig.inventory([]), state: state, now: t0)
        #expect(report.rows.map(\.name) == ["db", "shop-prod"])
    }

    @Test func theStatusTableHasAClusterColumn() throws {
        let inventory = try TestKubeconfig.inventory([
            .init(name: "db", endpoints: ["internal"], validity: validity),
            .init(name: "shop-prod", endpoints: ["internal"], validity: validity),
        ])
        let table = StatusReport(config: try config(), inventory: inventory, state: nil, now: t0).table
        #expect(
            table.split(separator: "\n").prefix(3) == [
                "NAME        CLUSTER     CONTEXTS             MODE    EXPIRES   LAST REFRESH   NEXT REFRESH   LAST ERROR",
                "db          -           db-internal          embed   in 6d     -              overdue        -",
                "shop-prod   shop-prod   shop-prod-internal   embed   in 6d     -              overdue        -",
            ]
        )
    }

    @Test func statusJSONHasTheConsoleNameOrNull() throws {
        let json = StatusReport(config: try config(), inventory: try TestKubeconfig.inventory([]), state: nil, now: t0).json()
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        let rows = try #require(object?["clusters"] as? [[String: Any]])
        #expect(rows.map { $0["consoleName"] is NSNull } == [true, false])
        #expect(rows.last?["consoleName"] as? String == "shop-prod")
    }

    @Test func theListTableShowsTheConsoleNameTheStateFileHolds() throws {
        let inventory = try TestKubeconfig.inventory([
            .init(name: "db", endpoints: ["internal"], validity: validity), .init(name: "web", endpoints: ["internal"], validity: validity),
        ])
        let state = RefreshStateSnapshot(updatedAt: t0, clusters: ["db": ClusterState(), "web": ClusterState(consoleName: "web-console")])
        #expect(
            InventoryListing(inventory: inventory, state: state, now: t0).table == """
                NAME   CLUSTER       CONTEXT        SERVER                              MODE    CERTIFICATE EXPIRES
                db     -             db-internal    https://internal.db.example:5443    embed   2026-05-15T06:13:20Z (in 6d)
                web    web-console   web-internal   https://internal.web.example:5443   embed   2026-05-15T06:13:20Z (in 6d)
                """
        )
    }

    @Test func listJSONHasTheConsoleNameAndNullWithoutAState() throws {
        let inventory = try TestKubeconfig.inventory([.init(name: "web", endpoints: ["internal"], validity: validity)])
        let state = RefreshStateSnapshot(updatedAt: t0, clusters: ["web": ClusterState(consoleName: "web-console")])
        func consoleName(_ state: RefreshStateSnapshot?) throws -> Any? {
            let json = InventoryListing(inventory: inventory, state: state, now: t0).json()
            let entries = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]]
            #expect(entries?.first?["watchName"] as? String == "web")
            return entries?.first?["consoleName"] as Any?
        }
        #expect(try consoleName(state) as? String == "web-console")
        #expect(try consoleName(nil) is NSNull)
    }
}
