/// One cluster's API server, reduced to `GET /version`: enough for
/// `kubectl get --raw /version` to prove that a context and its client certificate work.
///
/// Authentication happens below it, in TLS: the listener accepts only client certificates
/// issued by the cluster's CA, so a request that reaches this responder is authenticated.
struct KubernetesAPIResponder: HTTPResponder {
    /// Told the client certificate's serial of every request, so that a test can see which
    /// certificate a client used.
    let sawClient: @Sendable (String) -> Void

    func respond(to request: SimulatedRequest) async -> SimulatedResponse {
        if let serial = request.clientCertificateSerial { sawClient(serial) }
        guard request.method == .GET, request.path == "/version" else {
            return .json(
                .notFound,
                [
                    "kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Failure",
                    "message": "the server could not find the requested resource", "reason": "NotFound",
                    "details": [:], "code": 404,
                ]
            )
        }
        return .json(
            .ok,
            [
                "major": "1", "minor": "31", "gitVersion": "v1.31.1",
                "gitCommit": "948afe5ca072329a73c8e79ed5938717a5cb3d21", "gitTreeState": "clean",
                "buildDate": "2024-09-11T21:22:08Z", "goVersion": "go1.22.6", "compiler": "gc",
                "platform": "linux/amd64",
            ]
        )
    }
}
