import NIOHTTP1

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// CCE's ListClusters behind the gateway's checks.
///
/// In order: the list counter of the project, the credentials (401 `APIGW.0301`), the project
/// (403 `CCE.01403001`), the project's list fault, and the answer: the project's clusters of
/// the path's family, optionally only those in the phase of the `status` query parameter.
/// List calls are reads: the per-user throttle of certificate calls does not count them.
struct ListClustersResponder: Sendable {
    let state: SimulatorState

    func respond(to request: SimulatedRequest, route: ListClustersRoute, requestID: String) async -> SimulatedResponse {
        state.countListRequest(forProject: route.projectID)
        do {
            return try await answer(request, route: route, requestID: requestID)
        } catch {
            return error.response(requestID: requestID)
        }
    }

    private func answer(_ request: SimulatedRequest, route: ListClustersRoute, requestID: String) async throws(APIError)
        -> SimulatedResponse
    {
        let principal: Principal
        do {
            principal = try state.authenticator.authenticate(request, now: state.now())
        } catch {
            throw error.apiError
        }
        guard state.mayAct(principal, in: route.projectID) else { throw .forbidden }

        let phase = request.queryValue("status")
        let listed = state.clusters(inProject: route.projectID, type: route.clusterType)
            .filter { phase == nil || $0.phase == phase }
            .map {
                ClusterListAnswer.Item(
                    cluster: $0.cluster.configuration,
                    phase: $0.phase,
                    endpoints: $0.cluster.endpoints,
                    createdAt: $0.cluster.createdAt
                )
            }
        let answer = ClusterListAnswer(items: listed, cloud: state.configuration.cloud)
        let headers: HTTPHeaders = ["Content-Type": "application/json", "X-Request-Id": requestID]
        if let fault = state.listFault(forProject: route.projectID) {
            return fault.listResponse(headers: headers, requestID: requestID, answer: answer)
        }
        return .complete(status: .ok, headers: headers, body: answer.document.bytes)
    }
}

extension Fault {
    /// What a project with this list fault sends instead of the normal list.
    func listResponse(headers: HTTPHeaders, requestID: String, answer: ClusterListAnswer) -> SimulatedResponse {
        switch self {
        case .unauthorized: APIError.authorizationFailed.response(requestID: requestID)
        case .forbidden: APIError.forbidden.response(requestID: requestID)
        case .notFound: APIError.resourceNotFound.response(requestID: requestID)
        case .throttled(let seconds): APIError.throttled(retryAfterSeconds: seconds).response(requestID: requestID)
        case .internalError: APIError.internalError.response(requestID: requestID)
        case .serviceUnavailable: APIError.backendUnavailable.response(requestID: requestID)
        case .hang: .hang
        case .oversizedBody(let bytes): .streamed(status: .ok, headers: headers, body: Self.listPadding(bytes), chunkSize: 64 << 10)
        case .invalidJSON:
            .complete(status: .ok, headers: headers, body: Array(answer.document.bytes.prefix(answer.document.bytes.count / 2)))
        case .truncatedBody:
            .truncated(status: .ok, headers: headers, body: answer.document.bytes, sentBytes: answer.document.bytes.count / 2)
        case .wrongShape:
            .complete(status: .ok, headers: headers, body: answer.wrongShapeDocument.bytes)
        // Refused when set: they damage certificates, which a list does not hold.
        case .badBase64, .plainHTTPServer:
            .complete(status: .ok, headers: headers, body: answer.document.bytes)
        }
    }

    /// A valid list of `bytes` bytes (at least the frame's) with no items and a long padding field.
    private static func listPadding(_ bytes: Int) -> [UInt8] {
        let head = Array(#"{"kind":"Cluster","apiVersion":"v3","items":[],"padding":""#.utf8)
        let tail = Array(#""}"#.utf8)
        return head + [UInt8](repeating: UInt8(ascii: "A"), count: max(0, bytes - head.count - tail.count)) + tail
    }
}
