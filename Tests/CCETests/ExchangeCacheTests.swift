import Foundation
import Synchronization
import Testing

@testable import CCE

/// Temporary credentials kept in memory until a tenth of their life (at least 5 minutes) is
/// left, one exchange shared by concurrent callers, failures not kept, refusals dropped.
@Suite struct ExchangeCacheTests {
    private struct Value: Expiring {
        var name: String
        var expiresAt: Date
    }

    private struct Failure: Error, Hashable {}

    /// An exchange that counts its runs, records their reasons and hands out `v1`, `v2`, ...
    private final class Exchange: Sendable {
        private let runs = Mutex<[ExchangeCache<String, Value, Failure>.Reason]>([])
        let clock: TestClock
        let lifetime: TimeInterval
        let delay: Duration
        let fails: Bool

        init(clock: TestClock, lifetime: TimeInterval = 3_600, delay: Duration = .zero, fails: Bool = false) {
            self.clock = clock
            self.lifetime = lifetime
            self.delay = delay
            self.fails = fails
        }

        var reasons: [ExchangeCache<String, Value, Failure>.Reason] { runs.withLock { $0 } }

        var run: ExchangeCache<String, Value, Failure>.Exchange {
            { [self] reason in
                let number = runs.withLock {
                    $0.append(reason)
                    return $0.count
                }
                try? await Task.sleep(for: delay)
                return fails ? .failure(Failure()) : .success(Value(name: "v\(number)", expiresAt: clock.now + lifetime))
            }
        }
    }

    @Test(arguments: [(86_400, 8_640), (3_600, 360), (900, 300), (600, 300)] as [(TimeInterval, TimeInterval)])
    func renewalMarginIsATenthOfTheLifetimeButAtLeastFiveMinutes(lifetime: TimeInterval, margin: TimeInterval) {
        #expect(RenewalTime.margin(lifetime: lifetime) == margin)
        #expect(RenewalTime.renewAt(obtainedAt: t0, expiresAt: t0 + lifetime) == t0 + lifetime - margin)
    }

    @Test func valueIsKeptUntilItsRenewalTimeThenRenewed() async throws {
        let clock = TestClock()
        let cache = ExchangeCache<String, Value, Failure>(now: { clock.now })
        let exchange = Exchange(clock: clock)
        #expect(try await cache.value(for: "ops", exchange: exchange.run).get().value.name == "v1")
        clock.advance(by: 3_600 - 361)
        let kept = try await cache.value(for: "ops", exchange: exchange.run).get()
        #expect(kept.value.name == "v1")
        #expect(!kept.isFresh)
        clock.advance(by: 2)
        #expect(try await cache.value(for: "ops", exchange: exchange.run).get().value.name == "v2")
        #expect(exchange.reasons == [.first, .renewal(expiring: t0 + 3_600)])
    }

    @Test func fifteenMinuteKeysAreRenewedFiveMinutesBeforeTheyExpire() async throws {
        let clock = TestClock()
        let cache = ExchangeCache<String, Value, Failure>(now: { clock.now })
        let exchange = Exchange(clock: clock, lifetime: 900)
        for _ in 0..<4 {
            _ = try await cache.value(for: "ops", exchange: exchange.run).get()
            clock.advance(by: 599)
            #expect(try await cache.value(for: "ops", exchange: exchange.run).get().isFresh == false)
            clock.advance(by: 1)
        }
        #expect(exchange.reasons.count == 4)
    }

    @Test func concurrentCallersShareOneExchange() async throws {
        let clock = TestClock()
        let cache = ExchangeCache<String, Value, Failure>(now: { clock.now })
        let exchange = Exchange(clock: clock, delay: .milliseconds(200))
        let names = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<8 {
                group.addTask { try await cache.value(for: "ops", exchange: exchange.run).get().value.name }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(Set(names) == ["v1"])
        #expect(exchange.reasons == [.first])
    }

    @Test func eachKeyHasItsOwnValue() async throws {
        let clock = TestClock()
        let cache = ExchangeCache<String, Value, Failure>(now: { clock.now })
        let exchange = Exchange(clock: clock)
        _ = try await cache.value(for: "account-a", exchange: exchange.run).get()
        _ = try await cache.value(for: "account-b", exchange: exchange.run).get()
        #expect(exchange.reasons.count == 2)
    }

    @Test func failureIsNotKept() async throws {
        let clock = TestClock()
        let cache = ExchangeCache<String, Value, Failure>(now: { clock.now })
        let failing = Exchange(clock: clock, fails: true)
        await #expect(throws: Failure.self) { try await cache.value(for: "ops", exchange: failing.run).get() }
        await #expect(throws: Failure.self) { try await cache.value(for: "ops", exchange: failing.run).get() }
        #expect(failing.reasons == [.first, .first])
    }

    @Test func refusedValueIsReplacedAtTheNextRequest() async throws {
        let clock = TestClock()
        let cache = ExchangeCache<String, Value, Failure>(now: { clock.now })
        let exchange = Exchange(clock: clock)
        let first = try await cache.value(for: "ops", exchange: exchange.run).get()
        await cache.invalidate(first.value, for: "ops")
        #expect(try await cache.value(for: "ops", exchange: exchange.run).get().value.name == "v2")
        #expect(exchange.reasons == [.first, .replacement])
    }
}
