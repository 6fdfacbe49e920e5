#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Synchronization

/// The ECS metadata service of a server with an agency attached: plain HTTP on 127.0.0.1 (the
/// real one is `http://169.254.169.254`), `GET /openstack/latest/securitykey` answering the
/// agency's temporary keys as `{"credential": {"access", "expires_at", "secret", "securitytoken"}}`.
///
/// The same key is handed out until half its life has passed; then a new one is made, so a
/// client that renews before expiry always gets a key with life left. Any other path is a 404.
final class MetadataResponder: HTTPResponder {
    private let state: SimulatorState
    private let service: MetadataService
    private let agency: Agency
    private let current = Mutex<IssuedKeyStore.Key?>(nil)

    init(state: SimulatorState, service: MetadataService, agency: Agency) {
        self.state = state
        self.service = service
        self.agency = agency
    }

    func respond(to request: SimulatedRequest) async -> SimulatedResponse {
        guard request.method == .GET, request.path == "/openstack/latest/securitykey" else {
            return .complete(status: .notFound, headers: ["Content-Type": "text/plain"], body: Array("Not Found".utf8))
        }
        let now = state.now()
        let lifetime = service.keyLifetime.timeInterval
        let key = current.withLock { current in
            if let key = current, key.expiresAt.timeIntervalSince(now) > lifetime / 2 {
                return key
            }
            let key = state.issuedKeys.issue(account: agency.account, mayAssumeAgencies: agency.mayAssumeAgencies, expiresAt: now + lifetime)
            current = key
            return key
        }
        return .json(.ok, ["credential": key.iamCredential])
    }
}
