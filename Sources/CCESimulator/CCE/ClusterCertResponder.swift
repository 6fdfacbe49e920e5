import NIOHTTP1

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The cluster-certificate APIs behind the gateway's checks.
///
/// In order, as the gateway and CCE would: the route (404 `APIGW.0101`), the request counter,
/// the credentials (401 `APIGW.0301`), the per-user throttle (429 `APIGW.0308`), the project
/// (403 `CCE.01403001`), the cluster and its API family (404 `CCE.01404001`), the cluster's
/// fault, the body (400), and the answer.
struct ClusterCertResponder: HTTPResponder {
    let state: SimulatorState

    func respond(to request: SimulatedRequest) async -> SimulatedResponse {
        await state.delayAnswer()
        let requestID = RequestID.make()
        guard let route = ClusterCertRoute(method: request.method, path: request.path) else {
            return APIError.apiNotFound.response(requestID: requestID)
        }
        state.countRequest(forCluster: route.clusterID)
        do {
            return try await answer(request, route: route, requestID: requestID)
        } catch {
            return error.response(requestID: requestID)
        }
    }

    private func answer(_ request: SimulatedRequest, route: ClusterCertRoute, requestID: String) async throws(APIError) -> SimulatedResponse
    {
        let principal: Principal
        do {
            principal = try state.authenticator.authenticate(request, now: state.now())
        } catch {
            throw error.apiError
        }
        if case .refused(let wait) = state.admitCertificateCall(of: principal.user, at: .now),
            let throttle = state.configuration.certificateThrottle
        {
            throw .throttled(retryAfterSeconds: ThrottleLedger.retryAfterSeconds(wait), limit: throttle.limit, window: throttle.window)
        }
        guard state.mayAct(principal, in: route.projectID) else { throw .forbidden }
        guard let cluster = state.cluster(route.clusterID), cluster.configuration.projectID == route.projectID,
            cluster.configuration.type == route.clusterType
        else { throw .resourceNotFound }

        let headers: HTTPHeaders = [
            "Content-Type": "application/json",
            "X-Request-Id": requestID,
            "Port-ID": cluster.portID,
        ]
        let issue = { () async throws(APIError) -> KubeconfigAnswer in
            try await Self.issue(for: cluster, request: request, operation: route.operation)
        }
        if let fault = state.fault(forCluster: route.clusterID) {
            return try await fault.response(headers: headers, requestID: requestID, answer: issue)
        }
        return .complete(status: .ok, headers: headers, body: try await issue().document.bytes)
    }

    /// Checks the body and issues a client certificate that starts now (to the second) and
    /// lives as asked, or as long as the cluster's fixed lifetime.
    private static func issue(
        for cluster: SimulatorState.Cluster,
        request: SimulatedRequest,
        operation: ClusterCertRoute.Operation
    ) async throws(APIError) -> KubeconfigAnswer {
        let now = Date()
        let validity = try RequestedValidity(operation: operation, request: request, now: now)
        let notBefore = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))
        let notAfter =
            switch cluster.configuration.certificateLifetime {
            case .asRequested: validity.notAfter(from: notBefore)
            case .seconds(let seconds): notBefore + Double(seconds)
            }
        do {
            let credential = try await cluster.pki.issueClientCredential(notBefore: notBefore, notAfter: notAfter)
            return KubeconfigAnswer(endpoints: cluster.endpoints, authorityPEM: cluster.pki.authorityPEM, credential: credential)
        } catch {
            throw .internalError
        }
    }
}
