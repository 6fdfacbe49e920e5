import Glibc

/// One sd_notify datagram: newline-separated `KEY=VALUE` assignments (sd_notify(3)).
///
/// Several assignments travel in one datagram, so systemd applies them together:
///
/// ```swift
/// notifier.send([.ready, .status("3 fresh; next renewal prod-us 13:05")])
/// ```
package struct NotifyMessage: Sendable, Hashable, CustomStringConvertible {
    /// The datagram's bytes as text: the assignments joined by `\n`, without a trailing newline.
    package let payload: String

    /// The largest datagram systemd reads (`NOTIFY_BUFFER_MAX`, `PIPE_BUF`): it ignores a
    /// longer one whole, with only a warning in its own log.
    package static let maximumPayloadSize = 4096

    /// The longest ``status(_:)`` text, in UTF-8 bytes; longer text is cut. `systemctl status`
    /// shows one line, and the cap keeps any sensible combination under ``maximumPayloadSize``.
    package static let maximumStatusSize = 1024

    private init(payload: String) {
        self.payload = payload
    }

    /// `READY=1`: start-up is finished (`Type=notify` leaves "activating"); after a reload, the
    /// reload is finished.
    package static let ready = NotifyMessage(payload: "READY=1")

    /// `STOPPING=1`: shutting down, so systemd does not read the exit as a crash in progress.
    package static let stopping = NotifyMessage(payload: "STOPPING=1")

    /// `WATCHDOG=1`: still alive; due at least every ``WatchdogSchedule/timeout``.
    package static let watchdog = NotifyMessage(payload: "WATCHDOG=1")

    /// `RELOADING=1` with `MONOTONIC_USEC=` set to now. `Type=notify-reload` (systemd 253+)
    /// wants the timestamp to tell this reload from an earlier one; older versions ignore it.
    /// Follow the reload with ``ready``.
    package static var reloading: NotifyMessage {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return reloading(monotonicMicroseconds: UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000)
    }

    /// `RELOADING=1` with an explicit `MONOTONIC_USEC=`: `CLOCK_MONOTONIC` in microseconds.
    package static func reloading(monotonicMicroseconds: UInt64) -> NotifyMessage {
        NotifyMessage(payload: "RELOADING=1\nMONOTONIC_USEC=\(monotonicMicroseconds)")
    }

    /// `STATUS=`: one line for `systemctl status`.
    ///
    /// systemd splits a datagram at `\n` and `\r` and drops one with an embedded NUL, so each
    /// run of control characters becomes one space; text over ``maximumStatusSize`` bytes is
    /// cut at a character boundary and ends in `…`.
    package static func status(_ text: String) -> NotifyMessage {
        let line = text.unicodeScalars
            .split(omittingEmptySubsequences: true) { $0.properties.generalCategory == .control }
            .map { String(String.UnicodeScalarView($0)) }
            .joined(separator: " ")
        return NotifyMessage(payload: "STATUS=" + truncated(line, toUTF8Count: maximumStatusSize))
    }

    package var description: String { payload }

    private static func truncated(_ text: String, toUTF8Count limit: Int) -> String {
        guard text.utf8.count > limit else { return text }
        let ellipsis = "…"
        var kept = ""
        for character in text {
            guard kept.utf8.count + character.utf8.count + ellipsis.utf8.count <= limit else { break }
            kept.append(character)
        }
        return kept + ellipsis
    }
}

extension NotifyMessage: ExpressibleByArrayLiteral {
    /// Several messages as one datagram, in order.
    package init(arrayLiteral messages: NotifyMessage...) {
        self.init(payload: messages.map(\.payload).joined(separator: "\n"))
    }
}
