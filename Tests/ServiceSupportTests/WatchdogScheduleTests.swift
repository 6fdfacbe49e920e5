import Glibc
import ServiceSupport
import Testing

@Suite struct WatchdogScheduleTests {
    @Test func pingIntervalIsHalfTheTimeout() throws {
        let schedule = try #require(WatchdogSchedule.fromEnvironment(["WATCHDOG_USEC": "120000000"], processID: 4242))
        #expect(schedule.timeout == .seconds(120))
        #expect(schedule.pingInterval == .seconds(60))
        #expect(WatchdogSchedule(timeout: .microseconds(3)).pingInterval == .nanoseconds(1_500))
    }

    @Test func matchingWatchdogPIDKeepsTheSchedule() {
        let schedule = WatchdogSchedule.fromEnvironment(["WATCHDOG_USEC": "60000000", "WATCHDOG_PID": "4242"], processID: 4242)
        #expect(schedule == WatchdogSchedule(timeout: .seconds(60)))
    }

    @Test(arguments: ["4243", "", "self", "4242x"])
    func watchdogPIDOfAnotherProcessMeansNoWatchdog(pid: String) {
        #expect(WatchdogSchedule.fromEnvironment(["WATCHDOG_USEC": "60000000", "WATCHDOG_PID": pid], processID: 4242) == nil)
    }

    @Test(arguments: [[:], ["WATCHDOG_USEC": "0"], ["WATCHDOG_USEC": "-5"], ["WATCHDOG_USEC": "60s"], ["WATCHDOG_USEC": ""]])
    func missingOrMalformedTimeoutMeansNoWatchdog(environment: [String: String]) {
        #expect(WatchdogSchedule.fromEnvironment(environment, processID: 4242) == nil)
    }

    @Test func defaultsReadThisProcess() {
        #expect(WatchdogSchedule.fromEnvironment(["WATCHDOG_USEC": "1000000", "WATCHDOG_PID": "\(getpid())"]) != nil)
    }
}
