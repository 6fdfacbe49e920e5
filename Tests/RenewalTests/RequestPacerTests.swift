import Foundation
import Renewal
import Testing

/// The per-credential pacer: exact slots, what a 429 teaches it, and a first pass of 200
/// requests against a gateway allowing 10 a minute.
@Suite struct RequestPacerTests {
    @Test func theFirstRequestGoesAtOnceAndBooksTheNextSlot() {
        var pacer = RequestPacer(requestsPerMinute: 10)
        #expect(pacer.permission(at: t0) == .proceed)
        #expect(pacer.permission(at: t0) == .wait(until: t0 + seconds(6)))
        #expect(pacer.permission(at: t0 + seconds(6)) == .proceed)
    }

    @Test func aThrottleWithRetryAfterPausesUntilIt() {
        var pacer = RequestPacer(requestsPerMinute: 10)
        _ = pacer.permission(at: t0)
        pacer.recordThrottled(retryAfter: .seconds(42), at: t0 + seconds(1))
        #expect(pacer.permission(at: t0 + seconds(30)) == .wait(until: t0 + seconds(43)))
        #expect(pacer.permission(at: t0 + seconds(43)) == .proceed)
    }

    @Test func retryAfterWinsOverTheSlotBookedAtTheLearnedRate() {
        var pacer = RequestPacer(requestsPerMinute: 1)
        pacer.recordSuccess(at: t0)
        _ = pacer.permission(at: t0 + seconds(1))
        pacer.recordThrottled(retryAfter: .seconds(2), at: t0 + seconds(1))
        #expect(pacer.permission(at: t0 + seconds(3)) == .proceed)
    }

    @Test func aThrottleLearnsTheLimitFromTheSuccessesOfTheWindow() {
        var pacer = RequestPacer(requestsPerMinute: 60)
        for second in 0..<10 {
            _ = pacer.permission(at: t0 + seconds(Double(second)))
            pacer.recordSuccess(at: t0 + seconds(Double(second)))
        }
        pacer.recordThrottled(retryAfter: nil, at: t0 + seconds(10))
        #expect(abs(pacer.requestsPerMinute! - 60 / 6.06) < 1e-9)
        // Without Retry-After: until the oldest success leaves the window.
        #expect(pacer.permission(at: t0 + seconds(10)) == .wait(until: t0 + seconds(60)))
    }

    @Test func successesOlderThanTheWindowDoNotCount() {
        var pacer = RequestPacer(requestsPerMinute: 60)
        for second in [0.0, 1, 2, 3, 61, 62] {
            pacer.recordSuccess(at: t0 + seconds(second))
        }
        pacer.recordThrottled(retryAfter: nil, at: t0 + seconds(63.5))
        #expect(abs(pacer.requestsPerMinute! - 60 / 30.3) < 1e-9)
    }

    @Test func aThrottleWithoutRecentSuccessesHalvesTheRate() {
        var pacer = RequestPacer(requestsPerMinute: 10)
        pacer.recordThrottled(retryAfter: nil, at: t0)
        #expect(pacer.interval == .seconds(12))
        #expect(pacer.permission(at: t0) == .wait(until: t0 + seconds(12)))
    }

    @Test func anUnpacedPacerLetsEveryRequestGoUntilAThrottle() {
        var pacer = RequestPacer.unpaced()
        for _ in 0..<20 { #expect(pacer.permission(at: t0) == .proceed) }
        #expect(pacer.requestsPerMinute == nil)
    }

    @Test func anUnpacedPacerLearnsTheLimitFromItsFirstThrottle() {
        var pacer = RequestPacer.unpaced()
        for index in 0..<10 {
            _ = pacer.permission(at: t0 + seconds(Double(index) / 10))
            pacer.recordSuccess(at: t0 + seconds(Double(index) / 10 + 0.3))
        }
        pacer.recordThrottled(retryAfter: .seconds(59), at: t0 + seconds(1.3))
        #expect(abs(pacer.requestsPerMinute! - 60 / 6.06) < 1e-9)
        #expect(pacer.permission(at: t0 + seconds(2)) == .wait(until: t0 + seconds(60.3)))
    }

    @Test func anUnpacedPacerThrottledWithoutSuccessesStartsAtOneASecond() {
        var pacer = RequestPacer.unpaced()
        pacer.recordThrottled(retryAfter: nil, at: t0)
        #expect(pacer.interval == .seconds(1))
        #expect(pacer.permission(at: t0) == .wait(until: t0 + seconds(1)))
    }

    @Test func earliestSendTellsTheWaitWithoutBookingASlot() {
        var pacer = RequestPacer(requestsPerMinute: 10)
        #expect(pacer.earliestSend(after: t0) == nil)
        #expect(pacer.earliestSend(after: t0) == nil)
        _ = pacer.permission(at: t0)
        #expect(pacer.earliestSend(after: t0 + seconds(1)) == t0 + seconds(6))
    }

    @Test func aRunOfSuccessesCreepsTheRateUp() {
        var pacer = RequestPacer(requestsPerMinute: 10, successesPerStep: 3, stepFactor: 0.5)
        for second in [0.0, 6, 12] { pacer.recordSuccess(at: t0 + seconds(second)) }
        #expect(pacer.interval == .seconds(3))
    }

    @Test func theRateNeverCreepsPastTheMaximum() {
        var pacer = RequestPacer(requestsPerMinute: 10, maximumPerMinute: 12, successesPerStep: 1, stepFactor: 0.5)
        pacer.recordSuccess(at: t0)
        #expect(pacer.interval == .seconds(5))
    }

    // MARK: A first pass against the gateway

    /// Huawei's gateway as users report it: at most `limit` calls of a user in any minute, a
    /// 429 beyond, with or without `Retry-After` (whole seconds, rounded up).
    struct SimulatedGateway {
        let limit: Int
        let sendsRetryAfter: Bool
        var accepted: [Date] = []

        /// `nil` when the call goes through, else the 429's `Retry-After` (`.some(nil)` when it has none).
        mutating func call(at now: Date) -> Duration?? {
            accepted.removeAll { $0 <= now - 60 }
            guard accepted.count >= limit else {
                accepted.append(now)
                return nil
            }
            guard sendsRetryAfter, let oldest = accepted.first else { return .some(nil) }
            return .some(.seconds((oldest + 60).timeIntervalSince(now).rounded(.up)))
        }
    }

    /// Sends `count` requests, one at a time, each taking `latency`; the duration of the pass and the number of 429s.
    /// `rate` `nil` starts unpaced.
    private func firstPass(count: Int, startingAt rate: Double?, gateway: SimulatedGateway, latency: TimeInterval = 0.3) -> (duration: TimeInterval, throttled: Int) {
        var gateway = gateway
        var pacer = rate.map { RequestPacer(requestsPerMinute: $0) } ?? .unpaced()
        var now = t0
        var done = 0
        var throttled = 0
        while done < count {
            switch pacer.permission(at: now) {
            case .wait(let until):
                now = until
            case .proceed:
                let answered = now + latency
                if let retryAfter = gateway.call(at: now) {
                    throttled += 1
                    pacer.recordThrottled(retryAfter: retryAfter, at: answered)
                } else {
                    done += 1
                    pacer.recordSuccess(at: answered)
                }
                now = answered
            }
        }
        return (now.timeIntervalSince(t0), throttled)
    }

    /// 200 requests at 10 a minute take 20 minutes at best.
    private let ideal = minutes(20)

    @Test(arguments: [(10.0, true), (30.0, true), (30.0, false), (120.0, false), (nil, true), (nil, false)] as [(Double?, Bool)])
    func twoHundredRequestsFinishNearTheAllowedRateWithFewThrottles(startingRate: Double?, retryAfter: Bool) {
        let pass = firstPass(count: 200, startingAt: startingRate, gateway: SimulatedGateway(limit: 10, sendsRetryAfter: retryAfter))
        #expect(pass.duration <= ideal * 1.1, "took \(pass.duration / 60) min")
        #expect(pass.throttled < 10, "\(pass.throttled) answers were 429")
    }

    @Test func aPacerStartingTooSlowStillFinishesNearTheIdeal() {
        let pass = firstPass(count: 200, startingAt: 8, gateway: SimulatedGateway(limit: 10, sendsRetryAfter: true))
        #expect(pass.duration <= ideal * 1.25, "took \(pass.duration / 60) min")
    }
}
