#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// IAM tokens in memory, one per password credential, project and IAM endpoint, kept until
/// shortly before they expire.
///
/// Concurrent requests for the same key share one login. A token is renewed when less than
/// ``renewalMargin(lifetime:)`` of its lifetime is left, so a request never starts with a token
/// that could expire in flight.
actor IAMTokenCache {
    /// What a token is cached under.
    struct Key: Hashable, Sendable {
        var credential: PasswordCredential
        var projectID: String
        var endpoint: URL
    }

    /// A token and whether the login that made it ran for this request (then a 401 is not cured
    /// by logging in again).
    struct Lease: Sendable {
        var token: IAMToken
        var isFresh: Bool
    }

    private enum Entry {
        case ready(IAMToken, renewAt: Date)
        case pending(Task<Result<IAMToken, ServiceFailure>, Never>)
    }

    private var entries: [Key: Entry] = [:]
    private let now: @Sendable () -> Date

    /// - Parameter now: the wall clock, which `expires_at` is compared with.
    init(now: @escaping @Sendable () -> Date) {
        self.now = now
    }

    /// A token for `key`: the cached one until its renewal time, else the one `login` gets, which
    /// every caller asking meanwhile waits for. A failed login is not cached.
    func token(for key: Key, login: @escaping @Sendable () async -> Result<IAMToken, ServiceFailure>) async -> Result<Lease, ServiceFailure> {
        switch entries[key] {
        case .ready(let token, let renewAt) where now() < renewAt:
            return .success(Lease(token: token, isFresh: false))
        case .pending(let task):
            return await task.value.map { Lease(token: $0, isFresh: true) }
        case .ready, nil:
            let obtainedAt = now()
            let task = Task { await login() }
            entries[key] = .pending(task)
            let result = await task.value
            if case .pending(let current) = entries[key], current == task {
                switch result {
                case .success(let token):
                    let margin = Self.renewalMargin(lifetime: token.expiresAt.timeIntervalSince(obtainedAt))
                    entries[key] = .ready(token, renewAt: token.expiresAt.addingTimeInterval(-margin))
                case .failure:
                    entries[key] = nil
                }
            }
            return result.map { Lease(token: $0, isFresh: true) }
        }
    }

    /// Forgets `token` after the service refused it (revoked early: password change, permission
    /// change). A newer token cached meanwhile is kept.
    func invalidate(_ token: IAMToken, for key: Key) {
        if case .ready(let cached, _) = entries[key], cached == token {
            entries[key] = nil
        }
    }

    /// How long before `expires_at` a token is renewed: a tenth of its lifetime (2.4 h of IAM's
    /// 24 h), but at least 5 minutes, which covers a request's 30 s and clock skew.
    static func renewalMargin(lifetime: TimeInterval) -> TimeInterval {
        max(300, lifetime / 10)
    }
}
