import Foundation
import Testing
import WatchList

@testable import CCE

/// Strict decoding of ListClusters and IAM project answers: both clouds' shapes, all or nothing,
/// and the first wrong field named.
@Suite struct FleetAnswerTests {
    private func clusters(_ json: String, type: WatchedCluster.ClusterType = .cce) throws(ServiceFailure) -> [ClusterSummary] {
        try FleetAnswer.clusters(Array(json.utf8), region: "eu-de", projectID: "p", type: type)
    }

    private func reason(_ json: String) -> String? {
        do {
            _ = try clusters(json)
            return nil
        } catch {
            guard case .invalidResponse(let reason) = error.kind else { return "\(error.kind)" }
            return reason
        }
    }

    /// An OTC item as Open Telekom Cloud writes it: endpoints an object, Go timestamps, conditions a list.
    private static let otcItem = """
        {"kind":"Cluster","apiVersion":"v3","metadata":{"name":"prod","uid":"u-1","creationTimestamp":"2026-06-10 14:06:58.211095 +0000 UTC",\
        "labels":{"FeatureGates":"elbv3,"},"alias":"prod"},"spec":{"category":"CCE","type":"VirtualMachine"},\
        "status":{"phase":"Available","endpoints":{"internal":"https://10.0.0.2:5443","external_otc":"https://cce.eu-de.otc.t-systems.com"},\
        "conditions":[{"type":"ClusterCertificate","status":"True"}]}}
        """

    @Test func otcShapeDecodes() throws {
        #expect(
            try clusters(#"{"items":[\#(Self.otcItem)]}"#) == [
                ClusterSummary(
                    id: "u-1",
                    name: "prod",
                    category: .cce,
                    phase: "Available",
                    labels: ["FeatureGates": "elbv3,"],
                    region: "eu-de",
                    projectID: "p"
                )
            ]
        )
    }

    @Test func huaweiShapeDecodes() throws {
        let item =
            #"{"metadata":{"name":"a","uid":"u-2"},"spec":{"category":"Turbo"},"status":{"phase":"Hibernation","endpoints":[{"url":"https://x","type":"Internal"}]}}"#
        #expect(try clusters(#"{"kind":"Cluster","items":[\#(item)]}"#).map(\.category) == [.turbo])
    }

    @Test func aMissingCategoryIsCCEAndAutopilotsPathIsAutopilot() throws {
        let item = #"{"metadata":{"name":"a","uid":"u-2"},"status":{"phase":"Available"}}"#
        #expect(try clusters(#"{"items":[\#(item)]}"#).map(\.category) == [.cce])
        #expect(try clusters(#"{"items":[\#(item)]}"#, type: .autopilot).map(\.category) == [.autopilot])
    }

    @Test func anEmptyListIsNoClusters() throws {
        #expect(try clusters(#"{"kind":"Cluster","apiVersion":"v3","items":[]}"#).isEmpty)
    }

    @Test(arguments: [
        (
            #"{"items":[{"metadata":{"name":"a","uid":"u"},"status":{"phase":"Available"}},{"metadata":{"name":"b"},"status":{"phase":"Available"}}]}"#,
            "items[1].metadata.uid is missing"
        ),
        (#"{"items":{"a":{}}}"#, "items is not a list"),
        (#"{"kind":"Cluster"}"#, "items is missing"),
        (
            #"{"items":[{"metadata":{"name":"a","uid":"u","labels":{"n":1}},"status":{"phase":"Available"}}]}"#,
            "items[0].metadata.labels.n is not a string"
        ),
        (
            #"{"items":[{"metadata":{"name":"a","uid":"u"},"spec":{"category":"Mystery"},"status":{"phase":"Available"}}]}"#,
            "items[0].spec.category \"Mystery\" is neither CCE nor Turbo"
        ),
        (
            #"{"items":[{"metadata":{"name":"a","uid":"u"},"status":{"phase":"Available"}},{"metadata":{"name":"b","uid":"u"},"status":{"phase":"Available"}}]}"#,
            "items[1] repeats the cluster id u"
        ),
        (
            #"{"items":[{"metadata":{"name":"","uid":"u"},"status":{"phase":"Available"}}]}"#,
            "items[0] has an empty metadata.name, metadata.uid or status.phase"
        ),
        (#"{"items":[{"metadata":{"name":"a","uid":"u"},"status":{"phase":"Avail"#, "it is not JSON"),
    ])
    func aWrongAnswerIsRefusedNamingItsFirstWrongField(json: String, expected: String) {
        #expect(reason(json) == expected)
    }

    @Test func projectsWithoutANameOrDisabledAreLeftOut() throws {
        let body =
            #"{"projects":[{"id":"a","name":"eu-de"},{"id":"b","name":""},{"id":"c","name":"eu-de_x","enabled":false},{"id":"d","name":"eu-de_dev","enabled":true}]}"#
        #expect(
            try FleetAnswer.projects(Array(body.utf8)) == [
                ProjectSummary(id: "a", name: "eu-de"), ProjectSummary(id: "d", name: "eu-de_dev"),
            ]
        )
    }

    @Test func aProjectWithoutAnIDRefusesTheAnswer() {
        #expect(throws: ServiceFailure(.invalidResponse(reason: "projects[0].id is missing"))) {
            try FleetAnswer.projects(Array(#"{"projects":[{"name":"eu-de"}]}"#.utf8))
        }
    }
}
