import Foundation
import NIOHTTP1
import Testing

@testable import CCESimulator

/// The per-user limit on certificate calls: the sliding window on its own, with instants passed
/// in, and the gateway's 429 it produces.
@Suite struct ThrottleLedgerTests {
    private let start = ContinuousClock.now
    private let perMinute = CallThrottle(limit: 2, window: .seconds(60))

    @Test func admitsUpToTheLimitWithinTheWindow() {
        var ledger = ThrottleLedger(throttle: perMinute)
        #expect(ledger.decide(user: "a", at: start) == .admitted)
        #expect(ledger.decide(user: "a", at: start + .seconds(10)) == .admitted)
        #expect(ledger.decide(user: "a", at: start + .seconds(20)) == .refused(retryAfter: .seconds(40)))
    }

    @Test func admitsAgainWhenTheOldestCallLeavesTheWindow() {
        var ledger = ThrottleLedger(throttle: perMinute)
        _ = ledger.decide(user: "a", at: start)
        _ = ledger.decide(user: "a", at: start + .seconds(10))
        #expect(ledger.decide(user: "a", at: start + .seconds(60)) == .admitted)
        #expect(ledger.decide(user: "a", at: start + .seconds(61)) == .refused(retryAfter: .seconds(9)))
    }

    @Test func aRefusedCallIsNotCounted() {
        var ledger = ThrottleLedger(throttle: perMinute)
        _ = ledger.decide(user: "a", at: start)
        _ = ledger.decide(user: "a", at: start + .seconds(1))
        for second in 2...30 {
            _ = ledger.decide(user: "a", at: start + .seconds(second))
        }
        #expect(ledger.decide(user: "a", at: start + .seconds(61)) == .admitted)
    }

    @Test func eachUserHasALimitOfItsOwn() {
        var ledger = ThrottleLedger(throttle: perMinute)
        _ = ledger.decide(user: "a", at: start)
        _ = ledger.decide(user: "a", at: start)
        #expect(ledger.decide(user: "b", at: start) == .admitted)
    }

    @Test func retryAfterIsWholeSecondsRoundedUpAndAtLeastOne() {
        #expect(ThrottleLedger.retryAfterSeconds(.milliseconds(40_001)) == 41)
        #expect(ThrottleLedger.retryAfterSeconds(.seconds(40)) == 40)
        #expect(ThrottleLedger.retryAfterSeconds(.zero) == 1)
    }
}

@Suite struct ThrottleTests {
    @Test func aCallBeyondTheLimitGetsTheGateways429WithRetryAfter() async throws {
        let throttle = CallThrottle(limit: 2, window: .seconds(60))
        try await SimulatorHarness.with(FleetData.configuration(throttle: throttle)) { harness async throws in
            #expect(try await harness.certificate(FleetData.prod).status == .ok)
            #expect(try await harness.certificate(FleetData.batch).status == .ok)
            let refused = try await harness.certificate(FleetData.prod)
            try refused.expectGatewayError(
                .tooManyRequests,
                "APIGW.0308",
                containing: "The throttling threshold has been reached: policy user over ratelimit,limit:2,time:1 minute"
            )
            // Counted from the first call, which may have taken a while (its RSA key is made then).
            let retryAfter = try #require(refused.headers.first(name: "Retry-After").flatMap { Int($0) })
            #expect((1...60).contains(retryAfter))
            #expect(harness.simulator.throttledCount == 1)
            #expect(harness.simulator.requestCount(forCluster: FleetData.prod) == 2)
        }
    }

    @Test func anotherUserIsNotThrottled() async throws {
        try await SimulatorHarness.with(FleetData.configuration(throttle: CallThrottle(limit: 1, window: .seconds(60)))) {
            harness async throws in
            #expect(try await harness.certificate(FleetData.prod).status == .ok)
            #expect(try await harness.signed(SimulatorHarness.certPath(FleetData.prod)).status == .ok)
            #expect(try await harness.certificate(FleetData.prod).status == .tooManyRequests)
        }
    }

    @Test func twoTokensOfOneIAMUserShareTheUsersLimit() async throws {
        try await SimulatorHarness.with(FleetData.configuration(throttle: CallThrottle(limit: 1, window: .seconds(60)))) {
            harness async throws in
            let first = try #require(try await harness.login().headers.first(name: "X-Subject-Token"))
            let second = try #require(try await harness.login().headers.first(name: "X-Subject-Token"))
            #expect(first != second)
            #expect(try await harness.certificate(FleetData.prod, token: first).status == .ok)
            #expect(try await harness.certificate(FleetData.prod, token: second).status == .tooManyRequests)
        }
    }

    @Test func listCallsAreNotThrottled() async throws {
        try await SimulatorHarness.with(FleetData.configuration(throttle: CallThrottle(limit: 1, window: .seconds(60)))) {
            harness async throws in
            for _ in 0..<3 {
                #expect(try await harness.listClusters().status == .ok)
            }
            #expect(try await harness.signed(SimulatorHarness.certPath(FleetData.prod)).status == .ok)
            #expect(harness.simulator.throttledCount == 0)
        }
    }

    @Test func withoutAThrottleNothingIsRefused() async throws {
        try await SimulatorHarness.with(FleetData.configuration()) { harness async throws in
            for _ in 0..<12 {
                #expect(try await harness.certificate(FleetData.prod).status == .ok)
            }
            #expect(harness.simulator.throttledCount == 0)
        }
    }
}
