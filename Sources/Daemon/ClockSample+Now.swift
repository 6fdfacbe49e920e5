import Glibc
import Renewal

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension ClockSample {
    /// The three clocks read now: wall, `CLOCK_BOOTTIME` (counts suspend) and `CLOCK_MONOTONIC` (does not).
    static func now() -> ClockSample {
        func read(_ clock: clockid_t) -> Duration {
            var time = timespec()
            clock_gettime(clock, &time)
            return .seconds(time.tv_sec) + .nanoseconds(time.tv_nsec)
        }
        return ClockSample(wall: Date(), boottime: read(CLOCK_BOOTTIME), monotonic: read(CLOCK_MONOTONIC))
    }
}
