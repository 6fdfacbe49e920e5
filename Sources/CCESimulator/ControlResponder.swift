import NIOHTTP1

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The control endpoint: what ``RunningSimulator``'s run-time API does, over plain HTTP on
/// loopback, for a test or benchmark that runs `cce-simulator` as a process.
///
/// | request | does | answer |
/// |---|---|---|
/// | `POST /clusters` with a `clusters[]` entry of the configuration file | ``RunningSimulator/addCluster(_:)`` | 201 `{"internal": URL, "external": URL}` |
/// | `DELETE /clusters/{id}` | ``RunningSimulator/removeCluster(_:)`` | 204 |
/// | `PUT /clusters/{id}/phase` with `{"phase": "Hibernation"}` | ``RunningSimulator/setPhase(_:forCluster:)`` | 204 |
/// | `PUT /clusters/{id}/fault` with `{"fault": "hang"}` or `{"fault": null}` | ``RunningSimulator/setFault(_:forCluster:)`` | 204 |
/// | `PUT /projects/{id}/list-fault` with `{"fault": …}` | ``RunningSimulator/setListFault(_:forProject:)`` | 204 |
/// | `GET /counters` | reads the counters | 200 `{"throttled": N, "certificate_requests": {id: N}, "list_requests": {project: N}, "temporary_keys": N}` |
///
/// Errors are `{"error": "<one sentence>"}`: 400 for a body it cannot use, 404 for an unknown
/// path or cluster, 409 for a change the simulator refuses (a cluster id or name that is taken,
/// an empty phase, a fault that does not fit the call).
struct ControlResponder: HTTPResponder {
    let state: SimulatorState
    let lifecycle: ClusterLifecycle

    func respond(to request: SimulatedRequest) async -> SimulatedResponse {
        let segments = request.path.split(separator: "/").map(String.init)
        do throws(SimulatorError) {
            switch (request.method, segments.count, segments.first ?? "") {
            case (.POST, 1, "clusters"):
                let cluster = try decode(ClusterEntry.self, from: request).cluster
                let endpoints = try await lifecycle.add(cluster)
                var answer: [(key: String, value: JSONValue)] = [("internal", .string(endpoints.internal.absoluteString))]
                if let external = endpoints.external {
                    answer.append(("external", .string(external.absoluteString)))
                }
                return .json(.created, .object(answer))
            case (.DELETE, 2, "clusters"):
                try await lifecycle.remove(segments[1])
                return .complete(status: .noContent, headers: [:], body: [])
            case (.PUT, 3, "clusters") where segments[2] == "phase":
                try state.setPhase(try decode(PhaseBody.self, from: request).phase, forCluster: segments[1])
                return .complete(status: .noContent, headers: [:], body: [])
            case (.PUT, 3, "clusters") where segments[2] == "fault":
                try state.setFault(try decode(FaultBody.self, from: request).fault, forCluster: segments[1])
                return .complete(status: .noContent, headers: [:], body: [])
            case (.PUT, 3, "projects") where segments[2] == "list-fault":
                try state.setListFault(try decode(FaultBody.self, from: request).fault, forProject: segments[1])
                return .complete(status: .noContent, headers: [:], body: [])
            case (.GET, 1, "counters"):
                return .json(.ok, counters)
            default:
                return .json(.notFound, ["error": .string("There is no control request \(request.method.rawValue) \(request.path).")])
            }
        } catch {
            let status: HTTPResponseStatus =
                switch error {
                case .unknownCluster: .notFound
                case .invalidConfiguration: .conflict
                case .unreadableConfiguration: .badRequest
                case .startFailed: .internalServerError
                }
            return .json(status, ["error": .string(error.description)])
        }
    }

    private var counters: JSONValue {
        func object(_ counts: [String: Int]) -> JSONValue {
            .object(counts.sorted { $0.key < $1.key }.map { (key: $0.key, value: JSONValue.integer($0.value)) })
        }
        return [
            "throttled": .integer(state.throttledCount),
            "certificate_requests": object(state.requestCounts),
            "list_requests": object(state.listRequestCounts),
            "temporary_keys": .integer(state.issuedKeys.count),
        ]
    }

    /// The body as `T`, or a ``SimulatorError/unreadableConfiguration(source:reason:)`` naming the request.
    private func decode<T: Decodable>(_ type: T.Type, from request: SimulatedRequest) throws(SimulatorError) -> T {
        let source = "the body of \(request.method.rawValue) \(request.path)"
        do {
            return try JSONDecoder().decode(T.self, from: Data(request.body))
        } catch let error as DecodingError {
            throw .unreadableConfiguration(source: source, reason: SimulatorConfiguration.explain(error))
        } catch {
            throw .unreadableConfiguration(source: source, reason: "\(error)")
        }
    }

    private struct PhaseBody: Decodable {
        var phase: String
    }

    private struct FaultBody: Decodable {
        var fault: Fault?
    }
}
