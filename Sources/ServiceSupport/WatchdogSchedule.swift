import Glibc

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// How often to send ``NotifyMessage/watchdog``, from the unit's `WatchdogSec=`.
///
/// systemd exports the timeout as `$WATCHDOG_USEC`, and `$WATCHDOG_PID` as the process it
/// expects pings from; a child that inherited the variables is not that process and must not
/// ping (sd_watchdog_enabled(3)).
package struct WatchdogSchedule: Sendable, Hashable {
    /// Without a ping for this long, systemd considers the service hung, kills it and applies
    /// `Restart=`.
    package let timeout: Duration

    package init(timeout: Duration) {
        precondition(timeout > .zero, "a watchdog timeout must be positive")
        self.timeout = timeout
    }

    /// Half the timeout, as sd_watchdog_enabled(3) advises: one late or lost ping is survived.
    package var pingInterval: Duration { timeout / 2 }

    /// The schedule systemd asks for, or `nil` when there is no watchdog for this process:
    /// `$WATCHDOG_USEC` unset, zero or not a number, or `$WATCHDOG_PID` set to another process
    /// (or not a number).
    package static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment,
        processID: pid_t = getpid()
    ) -> WatchdogSchedule? {
        guard
            let text = environment["WATCHDOG_USEC"],
            let microseconds = Int64(text), microseconds > 0
        else { return nil }
        if let owner = environment["WATCHDOG_PID"] {
            guard pid_t(owner) == processID else { return nil }
        }
        return WatchdogSchedule(timeout: .microseconds(microseconds))
    }
}
