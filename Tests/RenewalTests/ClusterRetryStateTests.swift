import Foundation
import Renewal
import Testing

@Suite struct ClusterRetryStateTests {
    @Test(arguments: [FailureKind.server, .network, .timeout, .invalidResponse, .authentication, .throttled(retryAfter: nil)])
    func failuresBackOffExponentially(kind: FailureKind) {
        var state = ClusterRetryState()
        var now = t0
        var waits: [TimeInterval] = []
        for _ in 0..<10 {
            let next = state.recordFailure(kind, at: now, certificateExpiry: nil, jitterFraction: 0)
            waits.append(next.timeIntervalSince(now))
            now = next
        }
        #expect(waits == [1, 2, 4, 8, 16, 32, 64, 128, 150, 150])
        #expect(state.consecutiveFailures == 10)
        #expect(state.lastFailure == kind)
        #expect(state.nextAttempt == now)
    }

    @Test(arguments: [(0.0, 150.0), (0.5, 225.0), (0.99, 298.5)])
    func waitIsCappedAtFiveMinutesWithJitter(fraction: Double, wait: TimeInterval) {
        var state = ClusterRetryState()
        for _ in 0..<20 { state.recordFailure(.server, at: t0, certificateExpiry: nil, jitterFraction: 0) }
        let next = state.recordFailure(.server, at: t0, certificateExpiry: nil, jitterFraction: fraction)
        #expect(abs(next.timeIntervalSince(t0) - wait) < 1e-6)
    }

    @Test func waitNeverPassesTheCertificateExpiry() {
        var state = ClusterRetryState()
        for _ in 0..<9 { state.recordFailure(.network, at: t0, certificateExpiry: nil, jitterFraction: 0) }
        let next = state.recordFailure(.network, at: t0, certificateExpiry: t0 + seconds(100), jitterFraction: 0.5)
        #expect(next == t0 + seconds(100))
    }

    @Test func waitShorterThanTheTimeLeftIsKept() {
        var state = ClusterRetryState()
        let next = state.recordFailure(.network, at: t0, certificateExpiry: t0 + seconds(100), jitterFraction: 0.5)
        #expect(next == t0 + seconds(1.5))
    }

    @Test func expiredCertificateKeepsThePlainBackoff() {
        var state = ClusterRetryState()
        for _ in 0..<9 { state.recordFailure(.timeout, at: t0, certificateExpiry: nil, jitterFraction: 0) }
        let atExpiry = state.recordFailure(.timeout, at: t0, certificateExpiry: t0, jitterFraction: 0)
        let afterExpiry = state.recordFailure(.timeout, at: t0, certificateExpiry: t0 - hours(1), jitterFraction: 0)
        #expect(atExpiry == t0 + seconds(150))
        #expect(afterExpiry == t0 + seconds(150))
    }

    @Test func retryAfterIsWaitedAtLeast() {
        var state = ClusterRetryState()
        let next = state.recordFailure(.throttled(retryAfter: .seconds(120)), at: t0, certificateExpiry: nil, jitterFraction: 0.5)
        #expect(next == t0 + seconds(120))
    }

    @Test func backoffLongerThanRetryAfterWins() {
        var state = ClusterRetryState()
        for _ in 0..<9 { state.recordFailure(.server, at: t0, certificateExpiry: nil, jitterFraction: 0) }
        let next = state.recordFailure(.throttled(retryAfter: .seconds(1)), at: t0, certificateExpiry: nil, jitterFraction: 0)
        #expect(next == t0 + seconds(150))
    }

    @Test func retryAfterIsHonouredEvenPastTheCertificateExpiry() {
        var state = ClusterRetryState()
        let next = state.recordFailure(
            .throttled(retryAfter: .seconds(600)),
            at: t0,
            certificateExpiry: t0 + seconds(60),
            jitterFraction: 0
        )
        #expect(next == t0 + seconds(600))
    }

    @Test(arguments: [FailureKind.forbidden, .notFound, .conflict])
    func unfixableFailuresRetrySlowly(kind: FailureKind) {
        var state = ClusterRetryState()
        let first = state.recordFailure(kind, at: t0, certificateExpiry: nil, jitterFraction: 0)
        let second = state.recordFailure(kind, at: first, certificateExpiry: nil, jitterFraction: 0.5)
        #expect(first == t0 + minutes(15))
        #expect(second == first + minutes(22.5))
        #expect(kind.retriesSlowly)
        #expect(state.lastFailure == kind)
    }

    @Test func slowRetryIsCappedByTheCertificateExpiryToo() {
        var state = ClusterRetryState()
        let next = state.recordFailure(.forbidden, at: t0, certificateExpiry: t0 + minutes(5), jitterFraction: 0)
        #expect(next == t0 + minutes(5))
    }

    @Test func configuredSlowDelayIsUsed() {
        var state = ClusterRetryState(backoff: Backoff(slowDelay: .seconds(3_600)))
        let next = state.recordFailure(.notFound, at: t0, certificateExpiry: nil, jitterFraction: 0)
        #expect(next == t0 + minutes(30))
    }

    @Test func successResetsTheBackoff() {
        var state = ClusterRetryState()
        for _ in 0..<6 { state.recordFailure(.server, at: t0, certificateExpiry: nil, jitterFraction: 0) }
        state.recordSuccess()
        #expect(state.consecutiveFailures == 0)
        #expect(state.lastFailure == nil)
        #expect(state.nextAttempt == nil)
        let next = state.recordFailure(.server, at: t0, certificateExpiry: nil, jitterFraction: 0)
        #expect(next == t0 + seconds(1))
    }

    @Test func slowFailureBetweenOthersStillCountsTowardsTheBackoff() {
        var state = ClusterRetryState()
        state.recordFailure(.server, at: t0, certificateExpiry: nil, jitterFraction: 0)
        state.recordFailure(.forbidden, at: t0, certificateExpiry: nil, jitterFraction: 0)
        let next = state.recordFailure(.server, at: t0, certificateExpiry: nil, jitterFraction: 0)
        #expect(next == t0 + seconds(4))
        #expect(state.consecutiveFailures == 3)
    }

    @Test func onlyForbiddenNotFoundAndConflictRetrySlowly() {
        let fast: [FailureKind] = [
            .authentication, .throttled(retryAfter: .seconds(5)), .throttled(retryAfter: nil), .server, .network, .timeout,
            .invalidResponse,
        ]
        #expect(fast.allSatisfy { !$0.retriesSlowly })
    }
}
