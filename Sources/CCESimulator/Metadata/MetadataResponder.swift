import NIOHTTP1
import Synchronization

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The ECS metadata service of a server with an agency attached: plain HTTP on 127.0.0.1 (the
/// real one is `http://169.254.169.254`).
///
/// - `PUT /meta-data/latest/api/token` with `X-Metadata-Token-Ttl-Seconds` (1…21 600) answers a
///   session token as text, as the metadata service's token API does for Huawei's SDKs.
/// - `GET /openstack/latest/securitykey` answers the agency's temporary keys as
///   `{"credential": {"access", "expires_at", "secret", "securitytoken"}}`. A token sent in
///   `X-Metadata-Token` must be one handed out and not expired (401 otherwise); without one the
///   request is answered unless the configuration requires a token.
///
/// Like ECS, the service hands out the same key until 10 minutes before it expires (half its life
/// for keys of 20 minutes or less), then a new one, so that a client renewing before expiry
/// always gets a key with life left. Any other path is a bare 404.
final class MetadataResponder: HTTPResponder {
    private let state: SimulatorState
    private let service: MetadataService
    private let agency: Agency
    private let current = Mutex<IssuedKeyStore.Key?>(nil)
    /// Session tokens of the token API, with their expiry.
    private let sessions = Mutex<[String: Date]>([:])

    init(state: SimulatorState, service: MetadataService, agency: Agency) {
        self.state = state
        self.service = service
        self.agency = agency
    }

    func respond(to request: SimulatedRequest) async -> SimulatedResponse {
        let now = state.now()
        switch (request.method, request.path) {
        case (.PUT, "/meta-data/latest/api/token"):
            guard let ttl = request.header("X-Metadata-Token-Ttl-Seconds").flatMap(Int.init), (1...21_600).contains(ttl) else {
                return Self.text(.badRequest, "X-Metadata-Token-Ttl-Seconds must be 1 to 21600.")
            }
            let token = IssuedKeyStore.randomToken()
            sessions.withLock { $0[token] = now + Double(ttl) }
            return Self.text(.ok, token)
        case (.GET, "/openstack/latest/securitykey"):
            if let token = request.header("X-Metadata-Token") {
                guard let expiresAt = sessions.withLock({ $0[token] }), expiresAt > now else {
                    return Self.text(.unauthorized, "The metadata token is invalid or has expired.")
                }
            } else if service.requiresToken {
                return Self.text(.unauthorized, "A metadata token is required.")
            }
            return .json(.ok, ["credential": key(now: now).iamCredential])
        default:
            return Self.text(.notFound, "Not Found")
        }
    }

    /// The key to hand out now: the current one while it has more than the rotation margin left.
    private func key(now: Date) -> IssuedKeyStore.Key {
        let lifetime = service.keyLifetime.timeInterval
        let margin = lifetime > 1200 ? 600 : lifetime / 2
        return current.withLock { current in
            if let key = current, key.expiresAt.timeIntervalSince(now) > margin {
                return key
            }
            let key = state.issuedKeys.issue(
                account: agency.account,
                mayAssumeAgencies: agency.mayAssumeAgencies,
                expiresAt: now + lifetime
            )
            current = key
            return key
        }
    }

    private static func text(_ status: HTTPResponseStatus, _ body: String) -> SimulatedResponse {
        .complete(status: status, headers: ["Content-Type": "text/plain"], body: Array(body.utf8))
    }
}
