import Foundation
import Renewal
import Testing

/// The failure record every process shares: a refused credential set pauses for all of them,
/// a cluster's backoff and `Retry-After` hold for all, and other secrets start clean.
@Suite struct FailureRecordTests {
    static let refused = (kind: FailureKind.authentication, sentence: "CCE did not accept credential set \"main\" (HTTP 401)")
    static let serverError = (kind: FailureKind.server, sentence: "cluster \"a\": CCE failed (HTTP 500).")

    /// A record in which set `main` was refused once at `t0`, for cluster `a`.
    func refusedOnce() -> FailureRecord {
        var record = FailureRecord()
        #expect(record.permission(credentials: "main", cluster: "a", clusterID: "id-a", fingerprint: "one", at: t0) == .proceed)
        record.record(Self.refused, credentials: "main", cluster: "a", clusterID: "id-a", fingerprint: "one", sentAt: t0, at: t0)
        return record
    }

    @Test func anEmptyRecordLetsEveryRequestGo() {
        var record = FailureRecord()
        #expect(record.permission(credentials: "main", cluster: "a", clusterID: "id-a", fingerprint: "one", at: t0) == .proceed)
    }

    @Test func aRefusedSetPausesEveryClusterUsingItForFifteenMinutes() {
        var record = refusedOnce()
        #expect(
            record.permission(credentials: "main", cluster: "b", clusterID: "id-b", fingerprint: "one", at: t0 + 60)
                == .wait(until: t0 + minutes(15), reason: .refused(at: t0))
        )
    }

    @Test func anotherSetIsNotHeldBack() {
        var record = refusedOnce()
        #expect(record.permission(credentials: "other", cluster: "b", clusterID: "id-b", fingerprint: "two", at: t0 + 1) == .proceed)
    }

    @Test func otherSecretsOfTheSetStartClean() {
        var record = refusedOnce()
        #expect(record.permission(credentials: "main", cluster: "a", clusterID: "id-a", fingerprint: "fixed", at: t0 + 1) == .proceed)
        #expect(record.credentialSets["main"] == nil)
    }

    @Test func afterThePauseOneRequestProbesWhileTheOthersWait() {
        var record = refusedOnce()
        #expect(
            record.permission(credentials: "main", cluster: "b", clusterID: "id-b", fingerprint: "one", at: t0 + minutes(15)) == .proceed
        )
        #expect(
            record.permission(credentials: "main", cluster: "c", clusterID: "id-c", fingerprint: "one", at: t0 + minutes(15) + 1)
                == .wait(until: t0 + minutes(16), reason: .probing(since: t0 + minutes(15)))
        )
    }

    @Test func theProbesSuccessClearsTheSet() {
        var record = refusedOnce()
        _ = record.permission(credentials: "main", cluster: "b", clusterID: "id-b", fingerprint: "one", at: t0 + minutes(15))
        record.record(
            nil,
            credentials: "main",
            cluster: "b",
            clusterID: "id-b",
            fingerprint: "one",
            sentAt: t0 + minutes(15),
            at: t0 + minutes(15) + 1
        )
        #expect(
            record.permission(credentials: "main", cluster: "c", clusterID: "id-c", fingerprint: "one", at: t0 + minutes(15) + 2)
                == .proceed
        )
    }

    @Test func aPasswordSetPausesOnlyAtItsSecondRefusal() {
        var record = FailureRecord()
        record.record(
            Self.refused,
            credentials: "main",
            cluster: "a",
            clusterID: "id-a",
            fingerprint: "one",
            password: true,
            sentAt: t0,
            at: t0
        )
        #expect(record.permission(credentials: "main", cluster: "b", clusterID: "id-b", fingerprint: "one", at: t0 + 1) == .proceed)
        record.record(
            Self.refused,
            credentials: "main",
            cluster: "b",
            clusterID: "id-b",
            fingerprint: "one",
            password: true,
            sentAt: t0 + 1,
            at: t0 + 2
        )
        #expect(
            record.permission(credentials: "main", cluster: "c", clusterID: "id-c", fingerprint: "one", at: t0 + 3)
                == .wait(until: t0 + 2 + minutes(15), reason: .refused(at: t0 + 2))
        )
    }

    @Test func noMoreThanThreeRefusalsOfASetInAnyMinute() {
        var record = FailureRecord()
        // Requests of several processes, in flight together before the first refusal was known.
        for second in 0..<3 {
            record.record(
                Self.refused,
                credentials: "main",
                cluster: "c\(second)",
                clusterID: "id",
                fingerprint: "one",
                password: true,
                sentAt: t0,
                at: t0 + Double(second)
            )
        }
        record.credentialSets["main"]?.pausedUntil = nil
        #expect(
            record.permission(credentials: "main", cluster: "d", clusterID: "id-d", fingerprint: "one", at: t0 + 30)
                == .wait(until: t0 + 60, reason: .refused(at: t0 + 2))
        )
    }

    @Test func aClusterBacksOffFromOneSecondDoubling() {
        var record = FailureRecord()
        record.record(Self.serverError, credentials: "main", cluster: "a", clusterID: "id-a", fingerprint: "one", sentAt: t0, at: t0)
        #expect(record.clusters["a"]?.nextAttempt == t0 + 1)
        record.record(
            Self.serverError,
            credentials: "main",
            cluster: "a",
            clusterID: "id-a",
            fingerprint: "one",
            sentAt: t0 + 1,
            at: t0 + 1
        )
        #expect(record.clusters["a"]?.nextAttempt == t0 + 3)
    }

    @Test func aClusterInBackoffWaits() {
        var record = FailureRecord()
        record.record(Self.serverError, credentials: "main", cluster: "a", clusterID: "id-a", fingerprint: "one", sentAt: t0, at: t0)
        #expect(
            record.permission(credentials: "main", cluster: "a", clusterID: "id-a", fingerprint: "one", at: t0 + 0.5)
                == .wait(until: t0 + 1, reason: .backoff(lastError: Self.serverError.sentence, failures: 1))
        )
    }

    @Test func retryAfterIsHonoured() {
        var record = FailureRecord()
        record.record(
            (.throttled(retryAfter: .seconds(30)), "HTTP 429"),
            credentials: "main",
            cluster: "a",
            clusterID: "id-a",
            fingerprint: "one",
            sentAt: t0,
            at: t0
        )
        #expect(record.clusters["a"]?.nextAttempt == t0 + 30)
    }

    @Test func aFailureWhereNothingWasSentRecordsNothing() {
        var record = FailureRecord()
        record.record(
            (.local, "not sent: the variable SK is not set"),
            credentials: "main",
            cluster: "a",
            clusterID: "id-a",
            fingerprint: "one",
            sentAt: t0,
            at: t0
        )
        #expect(record == FailureRecord())
    }

    @Test func aClusterBlockedByItsBackoffDoesNotTakeTheProbe() {
        var record = refusedOnce()
        #expect(
            record.permission(credentials: "main", cluster: "a", clusterID: "id-a", fingerprint: "one", at: t0 + minutes(15)) == .proceed
        )
        record = refusedOnce()
        record.clusters["a"]?.nextAttempt = t0 + minutes(20)
        #expect(
            record.permission(credentials: "main", cluster: "a", clusterID: "id-a", fingerprint: "one", at: t0 + minutes(15)) != .proceed
        )
        #expect(record.credentialSets["main"]?.probeSentAt == nil)
    }

    @Test func aWatchNameThatStandsForAnotherClusterStartsClean() {
        var record = FailureRecord()
        record.record(
            (.notFound, "HTTP 404"),
            credentials: "main",
            cluster: "a",
            clusterID: "id-old",
            fingerprint: "one",
            sentAt: t0,
            at: t0
        )
        #expect(record.permission(credentials: "main", cluster: "a", clusterID: "id-old", fingerprint: "one", at: t0 + 1) != .proceed)
        #expect(record.permission(credentials: "main", cluster: "a", clusterID: "id-new", fingerprint: "one", at: t0 + 1) == .proceed)
    }

    @Test func aResetForgetsTheSetAndTheCluster() {
        var record = refusedOnce()
        record.reset(credentials: ["main"], clusters: ["a"])
        #expect(record == FailureRecord())
    }

    @Test func theRefusalSaysWhenTheNextTryGoesAndWhatToDo() {
        var record = refusedOnce()
        let sentence = record.permission(credentials: "main", cluster: "a", clusterID: "id-a", fingerprint: "one", at: t0 + 60).sentence(
            credentials: "main",
            cluster: "a",
            at: t0 + 60
        )
        #expect(
            sentence
                == "credential set \"main\" was refused (HTTP 401) at \(t0.formatted(.iso8601)), so no request of it goes before \((t0 + minutes(15)).formatted(.iso8601)) (840 s from now) lest the gateway lock the key; fix the credential (changed secrets are tried at once) or run `cce-kubeconfigd sync --force --cluster a`"
        )
    }

    @Test func aRecordSurvivesTheRoundTripThroughJSON() throws {
        var record = refusedOnce()
        record.record(
            Self.serverError,
            credentials: "main",
            cluster: "b",
            clusterID: "id-b",
            fingerprint: "one",
            sentAt: t0 + 0.123,
            at: t0 + 0.5
        )
        let decoded = try JSONDecoder().decode(FailureRecord.self, from: JSONEncoder().encode(record))
        #expect(decoded == record)
    }
}
