import Foundation
import Kubeconfig
import Renewal
import Testing

@Suite struct SleepDetectorTests {
    let start = ClockSample(wall: t0, boottime: .seconds(1_000), monotonic: .seconds(900))

    /// The sample a 60 s tick later, after `slept` of suspend and a wall-clock step of `step`.
    func tick(after previous: ClockSample, slept: Double = 0, step: Double = 0) -> ClockSample {
        ClockSample(
            wall: previous.wall + seconds(60 + slept + step),
            boottime: previous.boottime + .seconds(60 + slept),
            monotonic: previous.monotonic + .seconds(60)
        )
    }

    @Test func firstSampleIsSteady() {
        var detector = SleepDetector()
        #expect(detector.observe(start) == .steady)
        #expect(detector.previous == start)
    }

    @Test func regularTickIsSteady() {
        var detector = SleepDetector()
        _ = detector.observe(start)
        #expect(detector.observe(tick(after: start)) == .steady)
    }

    @Test func suspendIsReportedWithItsLength() {
        var detector = SleepDetector()
        _ = detector.observe(start)
        #expect(detector.observe(tick(after: start, slept: hours(10))) == .resumedFromSuspend(slept: .seconds(36_000)))
    }

    @Test func suspendShorterThanTheThresholdIsSteady() {
        var detector = SleepDetector()
        _ = detector.observe(start)
        #expect(detector.observe(tick(after: start, slept: 0.5)) == .steady)
    }

    @Test(arguments: [(hours(1), Duration.seconds(3_600)), (-minutes(5), .seconds(-300))])
    func wallClockStepIsReportedWithItsSign(step: TimeInterval, jump: Duration) {
        var detector = SleepDetector()
        _ = detector.observe(start)
        #expect(detector.observe(tick(after: start, step: step)) == .wallClockJumped(by: jump))
    }

    @Test func slewWithinTheToleranceIsSteady() {
        var detector = SleepDetector()
        _ = detector.observe(start)
        #expect(detector.observe(tick(after: start, step: 0.03)) == .steady)
        #expect(detector.observe(tick(after: detector.previous!, step: -1.5)) == .steady)
    }

    @Test func suspendWithAClockStepOnResumeReportsTheSuspend() {
        var detector = SleepDetector()
        _ = detector.observe(start)
        #expect(detector.observe(tick(after: start, slept: hours(2), step: 40)) == .resumedFromSuspend(slept: .seconds(7_200)))
    }

    @Test func eachSampleIsComparedWithThePreviousOne() {
        var detector = SleepDetector()
        _ = detector.observe(start)
        let resumed = tick(after: start, slept: minutes(30))
        #expect(detector.observe(resumed) == .resumedFromSuspend(slept: .seconds(1_800)))
        #expect(detector.observe(tick(after: resumed)) == .steady)
    }

    /// A 1-day certificate due at 15h24m; the laptop sleeps from 10 h to 20 h. The first tick
    /// after resume sees the suspend, and the policy has the renewal due at that very moment.
    @Test func tenHourSuspendAcrossRenewAtMakesTheRenewalDueOnResume() {
        let certificate = CertificateValidity(notBefore: t0, notAfter: t0 + days(1))
        let policy = RenewalPolicy()
        let before = policy.decide(certificate: certificate, lastRefresh: t0, now: t0 + hours(10), jitterFraction: 0.5)
        #expect(before.renewAt == t0 + hours(16) - minutes(36))

        var detector = SleepDetector()
        let asleep = ClockSample(wall: t0 + hours(10), boottime: .seconds(36_000), monotonic: .seconds(36_000))
        _ = detector.observe(asleep)
        let resumed = tick(after: asleep, slept: hours(10) - 60)
        #expect(detector.observe(resumed) == .resumedFromSuspend(slept: .seconds(35_940)))

        let after = policy.decide(certificate: certificate, lastRefresh: t0, now: resumed.wall, jitterFraction: 0.5)
        #expect(after == RenewalDecision(renewAt: t0 + hours(20), reason: .dueByLifetime))
    }
}
