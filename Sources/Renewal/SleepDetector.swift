#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Notices from successive ``ClockSample``s that the machine was suspended or that the wall
/// clock was stepped, so the daemon re-evaluates every cluster. Pure: the samples
/// are read elsewhere.
///
/// Wall-clock timers fire late after a suspend on some systems and a monotonic clock stops
/// during one on Linux (step's and tbot's laptop bug): the 60 s safety tick feeds its samples
/// here. `CLOCK_BOOTTIME − CLOCK_MONOTONIC` grows by exactly the time spent suspended; the wall
/// clock should move as `CLOCK_BOOTTIME` does, and a difference is a step (NTP's first sync after
/// resume, `date -s`).
package struct SleepDetector: Sendable, Hashable {
    /// What changed since the previous sample.
    package enum Observation: Sendable, Hashable {
        case steady
        /// The machine was suspended for `slept`. Also reported, instead of a wall-clock jump,
        /// when both happened: a resume calls for everything a jump does, and a network-settle
        /// delay too.
        case resumedFromSuspend(slept: Duration)
        /// The wall clock moved `by` more (positive) or less (negative) than real time did.
        case wallClockJumped(by: Duration)
    }

    /// Suspend shorter than this goes unreported: 1 s. Only a suspend makes the two clocks
    /// drift apart, so this just absorbs the reads not being simultaneous.
    package var suspendThreshold: Duration
    /// A wall-clock step smaller than this goes unreported: 2 s. NTP slewing moves the wall
    /// clock by at most 500 ppm, 30 ms per 60 s tick, and a few seconds do not matter to a
    /// schedule counted in hours.
    package var wallClockTolerance: Duration
    /// The sample the next one is compared with.
    package private(set) var previous: ClockSample?

    package init(suspendThreshold: Duration = .seconds(1), wallClockTolerance: Duration = .seconds(2)) {
        self.suspendThreshold = suspendThreshold
        self.wallClockTolerance = wallClockTolerance
        previous = nil
    }

    /// Compares `sample` with the previous one and keeps it for the next call. The first sample
    /// is ``Observation/steady``.
    package mutating func observe(_ sample: ClockSample) -> Observation {
        defer { previous = sample }
        guard let previous else { return .steady }
        let slept = (sample.boottime - sample.monotonic) - (previous.boottime - previous.monotonic)
        if slept >= suspendThreshold {
            return .resumedFromSuspend(slept: slept)
        }
        let jump = Duration(from: previous.wall, to: sample.wall) - (sample.boottime - previous.boottime)
        if jump >= wallClockTolerance || jump <= .zero - wallClockTolerance {
            return .wallClockJumped(by: jump)
        }
        return .steady
    }
}
