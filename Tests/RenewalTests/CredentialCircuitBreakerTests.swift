import Foundation
import Renewal
import Testing

@Suite struct CredentialCircuitBreakerTests {
    let pause = minutes(15)

    @Test func passwordGetsOneFreshLoginBeforeThePause() {
        var breaker = CredentialCircuitBreaker(credential: .password)
        #expect(breaker.recordAuthenticationFailure(sentAt: t0, at: t0 + seconds(1)) == .retryWithFreshLogin)
        #expect(breaker.state == .awaitingFreshLogin(since: t0 + seconds(1)))
        #expect(breaker.permission(at: t0 + seconds(2)) == .proceed)
        let action = breaker.recordAuthenticationFailure(sentAt: t0 + seconds(2), at: t0 + seconds(3))
        #expect(action == .pause(until: t0 + seconds(3) + pause))
        #expect(breaker.permission(at: t0 + seconds(4)) == .wait(until: t0 + seconds(3) + pause))
    }

    @Test func passwordRefusalOfARequestSentBeforeTheFreshLoginChangesNothing() {
        var breaker = CredentialCircuitBreaker(credential: .password)
        _ = breaker.recordAuthenticationFailure(sentAt: t0, at: t0 + seconds(1))
        #expect(breaker.recordAuthenticationFailure(sentAt: t0 + seconds(0.5), at: t0 + seconds(2)) == .none)
        #expect(breaker.state == .awaitingFreshLogin(since: t0 + seconds(1)))
    }

    @Test(arguments: [CredentialCircuitBreaker.Credential.accessKey, .token])
    func accessKeyAndTokenPauseAtTheFirstRefusal(credential: CredentialCircuitBreaker.Credential) {
        var breaker = CredentialCircuitBreaker(credential: credential)
        #expect(breaker.recordAuthenticationFailure(sentAt: t0, at: t0 + seconds(1)) == .pause(until: t0 + seconds(1) + pause))
        #expect(breaker.state == .open(since: t0 + seconds(1), until: t0 + seconds(1) + pause))
    }

    @Test func openCircuitHoldsEveryClusterOfTheCredentialUntilThePauseEnds() {
        var breaker = CredentialCircuitBreaker(credential: .accessKey)
        _ = breaker.recordAuthenticationFailure(sentAt: t0, at: t0)
        for moment in [seconds(1), minutes(7), pause - seconds(1)] {
            #expect(breaker.permission(at: t0 + moment) == .wait(until: t0 + pause))
        }
    }

    @Test func refusalOfARequestSentBeforeThePauseDoesNotExtendIt() {
        var breaker = CredentialCircuitBreaker(credential: .accessKey)
        _ = breaker.recordAuthenticationFailure(sentAt: t0, at: t0 + seconds(1))
        #expect(breaker.recordAuthenticationFailure(sentAt: t0, at: t0 + seconds(5)) == .none)
        #expect(breaker.permission(at: t0 + seconds(6)) == .wait(until: t0 + seconds(1) + pause))
    }

    @Test func afterThePauseOneProbeGoesAndTheOthersWaitForIt() {
        var breaker = CredentialCircuitBreaker(credential: .accessKey)
        _ = breaker.recordAuthenticationFailure(sentAt: t0, at: t0)
        #expect(breaker.permission(at: t0 + pause) == .proceed)
        #expect(breaker.permission(at: t0 + pause + seconds(1)) == .wait(until: t0 + pause + minutes(1)))
    }

    @Test func probeSuccessClosesTheCircuitAndResumesTheOthers() {
        var breaker = CredentialCircuitBreaker(credential: .accessKey)
        _ = breaker.recordAuthenticationFailure(sentAt: t0, at: t0)
        _ = breaker.permission(at: t0 + pause)
        #expect(breaker.recordSuccess() == .resume)
        #expect(breaker.state == .closed)
        #expect(breaker.permission(at: t0 + pause + seconds(1)) == .proceed)
    }

    @Test func probeRefusalPausesAgain() {
        var breaker = CredentialCircuitBreaker(credential: .password)
        _ = breaker.recordAuthenticationFailure(sentAt: t0, at: t0)
        _ = breaker.recordAuthenticationFailure(sentAt: t0 + seconds(2), at: t0 + seconds(2))
        let probe = t0 + seconds(2) + pause
        #expect(breaker.permission(at: probe) == .proceed)
        #expect(breaker.recordAuthenticationFailure(sentAt: probe, at: probe + seconds(1)) == .pause(until: probe + seconds(1) + pause))
    }

    @Test func lostProbeIsReplacedAfterTheProbeTimeout() {
        var breaker = CredentialCircuitBreaker(credential: .token)
        _ = breaker.recordAuthenticationFailure(sentAt: t0, at: t0)
        _ = breaker.permission(at: t0 + pause)
        #expect(breaker.permission(at: t0 + pause + seconds(59)) == .wait(until: t0 + pause + seconds(60)))
        #expect(breaker.permission(at: t0 + pause + seconds(60)) == .proceed)
        #expect(breaker.state == .probing(since: t0 + pause + seconds(60), until: t0 + pause + seconds(120)))
    }

    @Test func successAfterTheFreshLoginClosesAndAllowsAnotherFreshLoginLater() {
        var breaker = CredentialCircuitBreaker(credential: .password)
        _ = breaker.recordAuthenticationFailure(sentAt: t0, at: t0)
        #expect(breaker.recordSuccess() == .none)
        #expect(breaker.state == .closed)
        #expect(breaker.recordAuthenticationFailure(sentAt: t0 + hours(5), at: t0 + hours(5)) == .retryWithFreshLogin)
    }

    @Test func configuredPauseIsUsed() {
        var breaker = CredentialCircuitBreaker(credential: .accessKey, pauseDuration: .seconds(60))
        #expect(breaker.recordAuthenticationFailure(sentAt: t0, at: t0) == .pause(until: t0 + seconds(60)))
    }

    /// Three clusters on one access key, every request refused: after the first refusal the
    /// gateway sees one request per pause, far from the 5 bad signatures that lock the key.
    @Test func clustersSharingARefusedAccessKeySendOneRequestPerPause() {
        refusedRequests(credential: .accessKey, expectingFreshLogin: false)
    }

    /// The same with a password: the fresh login costs one more request, then one per pause.
    @Test func clustersSharingARefusedPasswordSendOneMoreForTheFreshLogin() {
        refusedRequests(credential: .password, expectingFreshLogin: true)
    }

    private func refusedRequests(credential: CredentialCircuitBreaker.Credential, expectingFreshLogin: Bool) {
        var breaker = CredentialCircuitBreaker(credential: credential)
        var clusters = [ClusterRetryState](repeating: ClusterRetryState(), count: 3)
        var due = [t0, t0 + seconds(10), t0 + seconds(20)]
        var sent: [Date] = []
        while let now = due.min(), now < t0 + hours(2) {
            let index = due.firstIndex(of: now)!
            if case .wait(let until) = breaker.permission(at: now) {
                due[index] = until
                continue
            }
            sent.append(now)
            let answered = now + seconds(1)
            let action = breaker.recordAuthenticationFailure(sentAt: now, at: answered)
            due[index] = clusters[index].recordFailure(.authentication, at: answered, certificateExpiry: nil, jitterFraction: 0.5)
            if sent.count == 1 {
                #expect(action == (expectingFreshLogin ? .retryWithFreshLogin : .pause(until: answered + pause)))
            }
        }
        let gaps = zip(sent, sent.dropFirst()).map { $1.timeIntervalSince($0) }
        let freshLoginGaps = expectingFreshLogin ? 1 : 0
        #expect(gaps.prefix(freshLoginGaps).allSatisfy { $0 < seconds(5) }, "\(gaps)")
        #expect(gaps.dropFirst(freshLoginGaps).allSatisfy { $0 >= pause }, "\(gaps)")
        #expect(sent.count == 7 + freshLoginGaps + 1, "\(sent.map { $0.timeIntervalSince(t0) })")
    }
}
