import Foundation
import Synchronization
import Testing

@testable import CCE

/// Tokens reused until shortly before `expires_at`, one login shared by concurrent callers, failures not kept.
@Suite struct IAMTokenCacheTests {
    private let key = IAMTokenCache.Key(
        credential: PasswordCredential(user: "alice", domain: "acme", password: TestData.password),
        projectID: TestData.projectID,
        endpoint: IAMEndpoint.forRegion("cn-north-4")
    )

    /// A login that counts its calls and hands out `token-1`, `token-2`, ... valid for `lifetime` from the clock's time.
    private final class Login: Sendable {
        private let count = Mutex(0)
        let clock: TestClock
        let lifetime: TimeInterval
        let delay: Duration

        init(clock: TestClock, lifetime: TimeInterval = 24 * 3600, delay: Duration = .zero) {
            self.clock = clock
            self.lifetime = lifetime
            self.delay = delay
        }

        var calls: Int { count.withLock { $0 } }

        var run: @Sendable () async -> Result<IAMToken, ServiceFailure> {
            { [self] in
                let number = count.withLock { $0 += 1; return $0 }
                try? await Task.sleep(for: delay)
                return .success(IAMToken(value: "token-\(number)", expiresAt: clock.now + lifetime))
            }
        }
    }

    @Test func cachedTokenIsReusedUntilItsRenewalTime() async throws {
        let clock = TestClock()
        let cache = IAMTokenCache(now: { clock.now })
        let login = Login(clock: clock)

        let first = try await cache.token(for: key, login: login.run).get()
        #expect(first.token.value == "token-1")
        #expect(first.isFresh)

        clock.advance(by: 21 * 3600)
        let reused = try await cache.token(for: key, login: login.run).get()
        #expect(reused.token.value == "token-1")
        #expect(!reused.isFresh)

        // 24 h lifetime: renewed when less than 2.4 h are left.
        clock.advance(by: 0.7 * 3600)
        #expect(try await cache.token(for: key, login: login.run).get().token.value == "token-2")
        #expect(login.calls == 2)
    }

    @Test(arguments: [(86_400, 8_640), (3_600, 360), (1_800, 300), (600, 300)] as [(TimeInterval, TimeInterval)])
    func renewalMarginIsATenthOfTheLifetimeButAtLeastFiveMinutes(lifetime: TimeInterval, margin: TimeInterval) {
        #expect(IAMTokenCache.renewalMargin(lifetime: lifetime) == margin)
    }

    @Test func shortLivedTokenIsNotReused() async throws {
        let clock = TestClock()
        let cache = IAMTokenCache(now: { clock.now })
        let login = Login(clock: clock, lifetime: 240)
        _ = try await cache.token(for: key, login: login.run).get()
        _ = try await cache.token(for: key, login: login.run).get()
        #expect(login.calls == 2)
    }

    @Test func concurrentCallersShareOneLogin() async throws {
        let clock = TestClock()
        let cache = IAMTokenCache(now: { clock.now })
        let login = Login(clock: clock, delay: .milliseconds(200))
        let values = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<8 {
                group.addTask { try await cache.token(for: key, login: login.run).get().token.value }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(values == Array(repeating: "token-1", count: 8))
        #expect(login.calls == 1)
    }

    @Test func failedLoginIsNotCached() async throws {
        let clock = TestClock()
        let cache = IAMTokenCache(now: { clock.now })
        let refused = await cache.token(for: key) { .failure(ServiceFailure(.authentication)) }
        #expect(throws: ServiceFailure.self) { try refused.get() }
        let login = Login(clock: clock)
        #expect(try await cache.token(for: key, login: login.run).get().token.value == "token-1")
    }

    @Test func invalidatedTokenIsReplacedButANewerOneIsKept() async throws {
        let clock = TestClock()
        let cache = IAMTokenCache(now: { clock.now })
        let login = Login(clock: clock)
        let first = try await cache.token(for: key, login: login.run).get().token
        await cache.invalidate(first, for: key)
        let second = try await cache.token(for: key, login: login.run).get().token
        #expect(second.value == "token-2")
        await cache.invalidate(first, for: key)
        #expect(try await cache.token(for: key, login: login.run).get().token == second)
    }

    @Test func tokensAreKeptPerProjectAndEndpoint() async throws {
        let clock = TestClock()
        let cache = IAMTokenCache(now: { clock.now })
        let login = Login(clock: clock)
        var other = key
        other.projectID = "fedcba9876543210fedcba9876543210"
        _ = try await cache.token(for: key, login: login.run).get()
        #expect(try await cache.token(for: other, login: login.run).get().token.value == "token-2")
    }
}
