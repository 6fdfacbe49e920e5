import Foundation
import Kubeconfig
import RefreshCore
import Renewal
import Testing

/// Which due cluster is sent when: the queue, the slots, and each credential set's pacer and
/// circuit breaker.
@Suite struct FetchAdmissionTests {
    static let service = FetchAdmission.Policy(
        maximumInFlight: 2,
        pacer: RequestPacer(),
        waitsForRefusedCredentials: true,
        throttledAttempts: nil
    )
    static let pass = FetchAdmission.Policy(
        maximumInFlight: 2,
        pacer: RequestPacer(),
        waitsForRefusedCredentials: false,
        throttledAttempts: 2
    )

    func ticket(_ name: String, credentials: String = "main") -> FetchAdmission.Ticket {
        FetchAdmission.Ticket(watchName: name, credentials: credentials, credential: .accessKey)
    }

    func admission(_ names: [String], policy: FetchAdmission.Policy = service) -> FetchAdmission {
        var admission = FetchAdmission(policy: policy)
        for name in names { admission.enqueue(ticket(name)) }
        return admission
    }

    static let success = Result<Int, FetchFailure>.success(1)
    static let refused = Result<Int, FetchFailure>.failure(FetchFailure("HTTP 401", kind: .authentication))
    static func throttled(retryAfter: TimeInterval) -> Result<Int, FetchFailure> {
        .failure(FetchFailure("HTTP 429", kind: .throttled(retryAfter: .seconds(retryAfter))))
    }

    @Test func queuedClustersAreSentFirstComeFirstServedUpToTheSlots() {
        var admission = admission(["a", "b", "c"])
        #expect(admission.admit(at: t0) == [.send("a"), .send("b")])
        #expect(admission.contains("c"))
    }

    @Test func aFinishedFetchFreesItsSlot() {
        var admission = admission(["a", "b", "c"])
        _ = admission.admit(at: t0)
        #expect(admission.finished("a", Self.success, at: t0 + 1) == .answered(paused: nil, resumed: false))
        #expect(admission.admit(at: t0 + 1) == [.send("c")])
    }

    @Test func aClusterAlreadyQueuedIsNotQueuedTwice() {
        var admission = admission(["a", "a"])
        #expect(admission.admit(at: t0) == [.send("a")])
    }

    @Test func anAnswerToNoRunningFetchIsIgnored() {
        var admission = admission(["a"])
        #expect(admission.finished("a", Self.success, at: t0) == .notInFlight)
    }

    @Test func aThrottledClusterGoesBackToTheHeadOfTheQueue() {
        var admission = admission(["a", "b", "c"])
        _ = admission.admit(at: t0)
        // b went through with a: the limit is one a minute, and b's slot frees at t0 + 61.
        #expect(admission.finished("a", Self.throttled(retryAfter: 10), at: t0 + 1) == .throttled(until: t0 + 61, limit: 1))
        #expect(
            admission.admit(at: t0 + 1) == [
                .paced("a", until: t0 + 61, reason: "HTTP 429"), .paced("c", until: t0 + 61, reason: "HTTP 429"),
                .armPacer(credentials: "main", at: t0 + 61),
            ]
        )
        _ = admission.finished("b", Self.success, at: t0 + 2)
        admission.pacerTimerFired(credentials: "main")
        #expect(admission.admit(at: t0 + 61).first == .send("a"))
    }

    @Test func thePacerTimerIsArmedOnceForTheSameInstant() {
        var admission = admission(
            ["a", "b"],
            policy: FetchAdmission.Policy(
                maximumInFlight: 1,
                pacer: RequestPacer(),
                waitsForRefusedCredentials: true,
                throttledAttempts: nil
            )
        )
        _ = admission.admit(at: t0)
        _ = admission.finished("a", Self.throttled(retryAfter: 10), at: t0)
        #expect(admission.admit(at: t0).contains(.armPacer(credentials: "main", at: t0 + 10)))
        #expect(!admission.admit(at: t0 + 1).contains { if case .armPacer = $0 { true } else { false } })
    }

    @Test func aThrottleHoldsBackOnlyItsOwnCredentialSet() {
        var admission = FetchAdmission(policy: Self.service)
        admission.enqueue(ticket("a"))
        admission.enqueue(ticket("b"))
        admission.enqueue(ticket("c", credentials: "other"))
        _ = admission.admit(at: t0)
        _ = admission.finished("a", Self.throttled(retryAfter: 30), at: t0)
        #expect(admission.admit(at: t0).contains(.send("c")))
    }

    @Test func aPassGivesUpOnAClusterThrottledTooOften() {
        var admission = admission(["a"], policy: Self.pass)
        _ = admission.admit(at: t0)
        #expect(admission.finished("a", Self.throttled(retryAfter: 1), at: t0) == .throttled(until: t0 + 1, limit: nil))
        _ = admission.admit(at: t0 + 1)
        #expect(admission.finished("a", Self.throttled(retryAfter: 1), at: t0 + 1) == .gaveUpThrottled)
        #expect(admission.isEmpty)
    }

    @Test func aRefusedAccessKeyOpensItsSetsCircuitForFifteenMinutes() {
        var admission = admission(["a"])
        _ = admission.admit(at: t0)
        #expect(admission.finished("a", Self.refused, at: t0 + 1) == .answered(paused: t0 + 1 + minutes(15), resumed: false))
        #expect(admission.heldUntil(credentials: "main") == t0 + 1 + minutes(15))
    }

    @Test func aFailureWhereNothingWasSentOpensNoCircuit() {
        var admission = admission(["a"])
        _ = admission.admit(at: t0)
        let notSent = Result<Int, FetchFailure>.failure(FetchFailure("credential set \"main\": the variable SK is not set", kind: .local))
        #expect(admission.finished("a", notSent, at: t0) == .answered(paused: nil, resumed: false))
        #expect(admission.heldUntil(credentials: "main") == nil)
    }

    @Test func theServiceHoldsAClusterOfAnOpenCircuitUntilItCloses() {
        var admission = admission(["a"])
        _ = admission.admit(at: t0)
        _ = admission.finished("a", Self.refused, at: t0)
        admission.enqueue(ticket("b"))
        #expect(admission.admit(at: t0 + 1) == [.held("b", until: t0 + minutes(15))])
        #expect(!admission.contains("b"))
    }

    @Test func aPassGivesUpOnAClusterOfARefusedSet() {
        var admission = admission(["a"], policy: Self.pass)
        _ = admission.admit(at: t0)
        _ = admission.finished("a", Self.refused, at: t0)
        admission.enqueue(ticket("b"))
        #expect(admission.admit(at: t0 + 1) == [.refused("b", credentials: "main")])
    }

    @Test func theProbesSuccessResumesTheHeldClusters() {
        var admission = admission(["a"])
        _ = admission.admit(at: t0)
        _ = admission.finished("a", Self.refused, at: t0)
        admission.enqueue(ticket("a"))
        #expect(admission.admit(at: t0 + minutes(15)) == [.send("a")])
        #expect(admission.finished("a", Self.success, at: t0 + minutes(15) + 1) == .answered(paused: nil, resumed: true))
    }

    @Test func aRemovedRunningFetchIsToBeAbandoned() {
        var admission = admission(["a", "b", "c"])
        _ = admission.admit(at: t0)
        let running = admission.remove("a")
        let queued = admission.remove("c")
        #expect(running)
        #expect(!queued)
        #expect(!admission.contains("c"))
    }

    @Test func stoppingAbandonsTheRunningFetchesInNameOrder() {
        var admission = admission(["b", "a", "c"])
        _ = admission.admit(at: t0)
        #expect(admission.abandonRunning() == ["a", "b"])
        #expect(admission.finished("a", Self.success, at: t0) == .notInFlight)
    }
}
