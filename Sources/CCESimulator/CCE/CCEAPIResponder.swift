/// The CCE API endpoint: ListClusters and the cluster-certificate APIs; any other method and
/// path is the gateway's 404 `APIGW.0101`.
struct CCEAPIResponder: HTTPResponder {
    let state: SimulatorState

    func respond(to request: SimulatedRequest) async -> SimulatedResponse {
        if let route = ListClustersRoute(method: request.method, path: request.path) {
            await state.delayAnswer()
            return await ListClustersResponder(state: state).respond(to: request, route: route, requestID: RequestID.make())
        }
        return await ClusterCertResponder(state: state).respond(to: request)
    }
}
