#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The three clocks read together, at one instant, by the daemon's safety tick.
package struct ClockSample: Sendable, Hashable {
    /// `CLOCK_REALTIME`: what certificates and timers are measured against; NTP and the user
    /// may step it.
    package var wall: Date
    /// `CLOCK_BOOTTIME`: time since boot, suspend included.
    package var boottime: Duration
    /// `CLOCK_MONOTONIC`: time since boot, suspend excluded on Linux.
    package var monotonic: Duration

    package init(wall: Date, boottime: Duration, monotonic: Duration) {
        self.wall = wall
        self.boottime = boottime
        self.monotonic = monotonic
    }
}
