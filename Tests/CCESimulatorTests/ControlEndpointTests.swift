import CCESimulator
import Foundation
import NIOHTTP1
import Testing

/// The control endpoint: the run-time API over plain HTTP on loopback, for a simulator run as
/// a process.
@Suite struct ControlEndpointTests {
    private static let added = "5a000000-0000-4000-8000-0000000000bb"

    private func control(
        _ harness: SimulatorHarness,
        _ method: HTTPMethod,
        _ path: String,
        _ body: String = ""
    ) async throws -> Answer {
        let base = try await harness.simulator.startControlEndpoint()
        #expect(base.absoluteString.hasPrefix("http://127.0.0.1:"))
        return try await harness.send(
            method,
            url: try #require(URL(string: base.absoluteString + path)),
            headers: [("Content-Type", "application/json")],
            body: Array(body.utf8)
        )
    }

    @Test func postedClusterIsListedAndItsAPIServersAreAnswered() async throws {
        try await SimulatorHarness.with(FleetData.configuration()) { harness async throws in
            let answer = try await control(
                harness,
                .POST,
                "/clusters",
                """
                {"project_id": "\(FleetData.project)", "cluster_id": "\(Self.added)", "name": "fresh", "external_endpoint": true, "labels": {"team": "a"}}
                """
            )
            #expect(answer.status == .created, "\(answer.text)")
            let servers = try #require(harness.simulator.apiServers[Self.added])
            #expect(
                try answer.json() as? [String: String] == [
                    "internal": servers.internal.absoluteString, "external": try #require(servers.external).absoluteString,
                ]
            )
            let names = try await harness.listClusters().items().map { Answer.value($0, "metadata", "name") as? String }
            #expect(names == ["prod", "batch", "fresh"])
        }
    }

    @Test func deleteRemovesTheCluster() async throws {
        try await SimulatorHarness.with(FleetData.configuration()) { harness async throws in
            #expect(try await control(harness, .DELETE, "/clusters/\(FleetData.batch)").status == .noContent)
            #expect(try await harness.listClusters().items().count == 1)
            #expect(try await control(harness, .DELETE, "/clusters/\(FleetData.batch)").status == .notFound)
        }
    }

    @Test func phaseAndFaultsAreSet() async throws {
        try await SimulatorHarness.with(FleetData.configuration()) { harness async throws in
            #expect(
                try await control(harness, .PUT, "/clusters/\(FleetData.prod)/phase", #"{"phase": "Hibernation"}"#).status == .noContent
            )
            #expect(
                try await harness.listClusters().items().map { Answer.value($0, "status", "phase") as? String } == [
                    "Hibernation", "Hibernation",
                ]
            )

            #expect(try await control(harness, .PUT, "/clusters/\(FleetData.prod)/fault", #"{"fault": "forbidden"}"#).status == .noContent)
            #expect(try await harness.certificate(FleetData.prod).status == .forbidden)
            #expect(try await control(harness, .PUT, "/clusters/\(FleetData.prod)/fault", #"{"fault": null}"#).status == .noContent)
            #expect(try await harness.certificate(FleetData.prod).status == .ok)

            #expect(
                try await control(harness, .PUT, "/projects/\(FleetData.project)/list-fault", #"{"fault": "internal-error"}"#).status
                    == .noContent
            )
            #expect(try await harness.listClusters().status == .internalServerError)
        }
    }

    @Test func countersReportThrottledAndRequestCounts() async throws {
        try await SimulatorHarness.with(FleetData.configuration(throttle: CallThrottle(limit: 1, window: .seconds(60)))) {
            harness async throws in
            _ = try await harness.certificate(FleetData.prod)
            _ = try await harness.certificate(FleetData.prod)
            _ = try await harness.listClusters()
            let counters = try await control(harness, .GET, "/counters").json()
            #expect(counters["throttled"] as? Int == 1)
            #expect(counters["certificate_requests"] as? [String: Int] == [FleetData.prod: 2])
            #expect(counters["list_requests"] as? [String: Int] == [FleetData.project: 1])
            #expect(counters["temporary_keys"] as? Int == 0)
        }
    }

    @Test func aBodyItCannotUseIsA400NamingThePlace() async throws {
        try await SimulatorHarness.with(FleetData.configuration()) { harness async throws in
            let answer = try await control(
                harness,
                .POST,
                "/clusters",
                #"{"project_id": "\#(FleetData.project)", "cluster_id": "x", "colour": "red"}"#
            )
            #expect(answer.status == .badRequest)
            let message = try #require(try answer.json()["error"] as? String)
            #expect(message.contains("POST /clusters") && message.contains("unknown key \"colour\""), "\(message)")
        }
    }

    @Test func aTakenClusterIDIsAConflict() async throws {
        try await SimulatorHarness.with(FleetData.configuration()) { harness async throws in
            let answer = try await control(
                harness,
                .POST,
                "/clusters",
                #"{"project_id": "\#(FleetData.project)", "cluster_id": "\#(FleetData.prod)"}"#
            )
            #expect(answer.status == .conflict)
            #expect((try answer.json()["error"] as? String)?.contains("repeats the cluster id") == true)
        }
    }
}
