import Foundation
import Renewal
import Testing

/// The per-credential pacer: what a 429 teaches it, the window it keeps, and a first pass of
/// 200 requests against a gateway allowing 10 a minute.
@Suite struct RequestPacerTests {
    /// A pacer that sent `count` requests at `t0 + 0.1 s × i`, each admitted.
    func pacer(admitting count: Int) -> RequestPacer {
        var pacer = RequestPacer()
        for index in 0..<count {
            #expect(pacer.permission(at: t0 + seconds(Double(index) / 10)) == .proceed)
        }
        return pacer
    }

    @Test func anUnthrottledPacerLetsEveryRequestGo() {
        var pacer = RequestPacer()
        for _ in 0..<100 { #expect(pacer.permission(at: t0) == .proceed) }
        #expect(pacer.limit == nil)
    }

    @Test func aThrottleLearnsTheLimitFromTheRequestsAdmittedInTheWindowBeforeIt() {
        var pacer = pacer(admitting: 11)
        pacer.recordThrottled(sentAt: t0 + seconds(1), retryAfter: nil, at: t0 + seconds(1.3))
        #expect(pacer.limit == 10)
    }

    @Test func aRequestNeverSentGivesItsSlotBack() {
        var pacer = RequestPacer()
        #expect(pacer.permission(at: t0) == .proceed)
        pacer.recordThrottled(sentAt: t0, retryAfter: nil, stated: RequestPacer.StatedLimit(calls: 1, window: .seconds(60)), at: t0)
        #expect(pacer.permission(at: t0 + seconds(1)) == .proceed)
        pacer.recordNotSent(sentAt: t0 + seconds(1))
        #expect(pacer.permission(at: t0 + seconds(2)) == .proceed)
    }

    @Test func requestsSentBeforeTheRefusedOneAndStillInFlightCount() {
        var pacer = pacer(admitting: 11)
        // Only four answers are in when the 429 comes; the others were sent before it all the same.
        for _ in 0..<4 { pacer.recordSuccess() }
        pacer.recordThrottled(sentAt: t0 + seconds(1), retryAfter: .seconds(59), at: t0 + seconds(1.3))
        #expect(pacer.limit == 10)
    }

    @Test func noRequestGoesBeforeRetryAfter() {
        var pacer = pacer(admitting: 11)
        pacer.recordThrottled(sentAt: t0 + seconds(1), retryAfter: .seconds(90), at: t0 + seconds(1.3))
        #expect(pacer.permission(at: t0 + seconds(70)) == .wait(until: t0 + seconds(91.3)))
        #expect(pacer.permission(at: t0 + seconds(91.3)) == .proceed)
    }

    @Test func withoutRetryAfterTheOldestAdmittedRequestsSlotFreesFirst() {
        var pacer = pacer(admitting: 11)
        pacer.recordThrottled(sentAt: t0 + seconds(1), retryAfter: nil, at: t0 + seconds(1.3))
        // Sent at t0, counted by the gateway a little later: free after the window and the margin.
        #expect(pacer.permission(at: t0 + seconds(2)) == .wait(until: t0 + seconds(61)))
    }

    @Test func onceTheWindowMovesOnAWindowsWorthGoesAtOnceThenTheNextWaits() {
        var pacer = pacer(admitting: 11)
        pacer.recordThrottled(sentAt: t0 + seconds(1), retryAfter: .seconds(59), at: t0 + seconds(1.3))
        let later = t0 + seconds(62)
        for _ in 0..<10 { #expect(pacer.permission(at: later) == .proceed) }
        #expect(pacer.permission(at: later) == .wait(until: later + seconds(61)))
    }

    @Test func requestsOlderThanTheWindowDoNotTeachTheLimit() {
        var pacer = RequestPacer()
        for second in [0.0, 1, 2, 3, 61, 62] { _ = pacer.permission(at: t0 + seconds(second)) }
        _ = pacer.permission(at: t0 + seconds(63))
        pacer.recordThrottled(sentAt: t0 + seconds(63), retryAfter: nil, at: t0 + seconds(63.5))
        #expect(pacer.limit == 2)
    }

    @Test func aThrottleThatNoAdmittedRequestExplainsPausesLongerEachTime() {
        var pacer = RequestPacer()
        var pauses: [Date] = []
        var now = t0
        for _ in 0..<3 {
            _ = pacer.permission(at: now)
            pacer.recordThrottled(sentAt: now, retryAfter: nil, at: now)
            guard case .wait(let until) = pacer.permission(at: now) else {
                Issue.record("not paused")
                return
            }
            pauses.append(until)
            now = until
        }
        #expect(pauses == [t0 + seconds(1), t0 + seconds(3), t0 + seconds(7)])
        #expect(pacer.limit == nil)
    }

    @Test func aStatedLimitIsTakenAsItIsWithItsWindow() {
        var pacer = pacer(admitting: 3)
        pacer.recordThrottled(
            sentAt: t0 + seconds(0.2),
            retryAfter: .seconds(1),
            stated: .init(calls: 10, window: .seconds(30)),
            at: t0 + seconds(0.5)
        )
        #expect(pacer.limit == 10)
        #expect(pacer.window == .seconds(30))
        #expect(pacer.permission(at: t0 + seconds(1.5)) == .proceed)
    }

    @Test func aStatedLimitIsNotProbedUpwards() {
        var pacer = pacer(admitting: 11)
        pacer.recordThrottled(
            sentAt: t0 + seconds(1),
            retryAfter: nil,
            stated: .init(calls: 10, window: .seconds(60)),
            at: t0 + seconds(1.3)
        )
        for _ in 0..<pacer.successesPerStep { pacer.recordSuccess() }
        #expect(pacer.limit == 10)
    }

    @Test func aRunOfSuccessesRaisesTheLimitByOne() {
        var pacer = pacer(admitting: 11)
        pacer.recordThrottled(sentAt: t0 + seconds(1), retryAfter: nil, at: t0 + seconds(1.3))
        for _ in 0..<pacer.successesPerStep { pacer.recordSuccess() }
        #expect(pacer.limit == 11)
    }

    @Test func earliestSendTellsTheWaitWithoutBookingASlot() {
        var pacer = pacer(admitting: 11)
        #expect(pacer.earliestSend(after: t0 + seconds(2)) == nil)
        pacer.recordThrottled(sentAt: t0 + seconds(1), retryAfter: nil, at: t0 + seconds(1.3))
        #expect(pacer.earliestSend(after: t0 + seconds(2)) == t0 + seconds(61))
        #expect(pacer.earliestSend(after: t0 + seconds(2)) == t0 + seconds(61))
        #expect(pacer.permission(at: t0 + seconds(2)) == .wait(until: t0 + seconds(61)))
    }

    // MARK: A first pass against the gateway

    /// Huawei's gateway as users report it: at most `limit` admitted calls of a user in any
    /// minute, a 429 beyond (not counted), with or without `Retry-After` (whole seconds, rounded up).
    struct SimulatedGateway {
        let limit: Int
        let sendsRetryAfter: Bool
        var admitted: [Date] = []

        /// `nil` when the call goes through, else the 429's `Retry-After` (`.some(nil)` when it has none).
        mutating func call(at now: Date) -> Duration?? {
            admitted.removeAll { $0 <= now - 60 }
            guard admitted.count >= limit else {
                admitted.append(now)
                return nil
            }
            guard sendsRetryAfter else { return .some(nil) }
            return .some(.seconds((admitted[admitted.count - limit] + 60).timeIntervalSince(now).rounded(.up)))
        }
    }

    /// Sends `count` requests, `parallel` at a time, each reaching the gateway `transit` after it
    /// is sent and answered `latency` after; the duration of the pass and the number of 429s.
    private func firstPass(count: Int, parallel: Int, gateway: SimulatedGateway, transit: TimeInterval = 0.05, latency: TimeInterval = 0.3)
        -> (duration: TimeInterval, throttled: Int)
    {
        var gateway = gateway
        var pacer = RequestPacer()
        var now = t0
        var done = 0
        var throttled = 0
        var waiting = count
        var inFlight: [(sentAt: Date, answeredAt: Date, retryAfter: Duration??)] = []
        while done < count {
            while waiting > 0, inFlight.count < parallel, case .proceed = pacer.permission(at: now) {
                waiting -= 1
                inFlight.append((now, now + latency, gateway.call(at: now + transit)))
            }
            let wake = [inFlight.map(\.answeredAt).min(), waiting > 0 && inFlight.count < parallel ? pacer.earliestSend(after: now) : nil]
                .compactMap { $0 }.min()
            guard let wake else {
                Issue.record("stuck")
                break
            }
            now = wake
            for answer in inFlight where answer.answeredAt <= now {
                if let retryAfter = answer.retryAfter {
                    throttled += 1
                    waiting += 1
                    pacer.recordThrottled(sentAt: answer.sentAt, retryAfter: retryAfter, at: answer.answeredAt)
                } else {
                    done += 1
                    pacer.recordSuccess()
                }
            }
            inFlight.removeAll { $0.answeredAt <= now }
        }
        return (now.timeIntervalSince(t0), throttled)
    }

    /// 200 requests at 10 a minute: 10 at once, then 10 more in each of the next 19 minutes.
    private let ideal = minutes(19)

    @Test(arguments: [(1, true), (4, true), (4, false), (16, false)])
    func twoHundredRequestsFinishNearTheAllowedRateWithFewThrottles(parallel: Int, retryAfter: Bool) {
        let pass = firstPass(count: 200, parallel: parallel, gateway: SimulatedGateway(limit: 10, sendsRetryAfter: retryAfter))
        #expect(pass.duration <= ideal * 1.05, "took \(pass.duration / 60) min")
        #expect(pass.throttled < 10, "\(pass.throttled) answers were 429")
    }
}
