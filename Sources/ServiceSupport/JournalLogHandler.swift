import Logging

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// A swift-log handler writing one line per event to standard error, in the form that suits
/// where standard error goes: the journal under systemd, a terminal or file otherwise.
///
/// ```text
/// <4>cluster=prod: renewal failed error="HTTP 503" next=40s
/// 2026-11-29T10:00:00Z warning cluster=prod: renewal failed error="HTTP 503" next=40s
/// ```
///
/// Under systemd (`$JOURNAL_STREAM` is standard error), lines start with the `<N>` syslog
/// priority, which journald strips and records, so `journalctl -p warning` works; journald adds
/// the timestamp. Otherwise lines start with an ISO 8601 UTC timestamp and the level. Then the
/// logger's metadata (who), the message, and the event's metadata (what), as sorted `key=value`;
/// control characters are escaped, so one event stays one journal entry. Values under
/// secret-looking keys are replaced (``SecretRedaction``).
///
/// The label is not written: there is one program, and journald tags its lines with
/// `SyslogIdentifier=`.
package struct JournalLogHandler: LogHandler {
    /// The layout of the lines.
    package enum Format: Sendable, Hashable {
        /// `<N>` priority prefix, no timestamp, no level.
        case journal
        /// Timestamp and level in front.
        case human
    }

    package var logLevel: Logger.Level
    package var metadata: Logger.Metadata = [:]
    /// Task-local context (`Logger(label:metadataProvider:)`), written with the logger's metadata.
    package var metadataProvider: Logger.MetadataProvider?
    package let format: Format
    private let redaction: SecretRedaction
    private let output: LogOutput
    private let now: @Sendable () -> Date

    /// - Parameters:
    ///   - format: normally ``Format/detected(environment:fileDescriptor:)`` for standard error.
    ///   - level: the least severe level written; `--log-level` sets it.
    ///   - redaction: which metadata values to hide.
    ///   - output: where lines go.
    ///   - now: the clock for ``Format/human`` timestamps.
    package init(
        format: Format,
        level: Logger.Level = .info,
        redaction: SecretRedaction = .secretLookingKeys,
        output: LogOutput = .standardError,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.format = format
        self.logLevel = level
        self.redaction = redaction
        self.output = output
        self.now = now
    }

    /// Makes every `Logger` in the process use this handler at `level`, writing to standard
    /// error in the form ``Format/detected(environment:fileDescriptor:)`` picks. Call once, first
    /// thing in `main`: swift-log allows a single bootstrap.
    package static func bootstrap(
        level: Logger.Level,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        let format = Format.detected(environment: environment, fileDescriptor: STDERR_FILENO)
        LoggingSystem.bootstrap { _ in JournalLogHandler(format: format, level: level) }
    }

    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Writes the event: the logger's and the provider's metadata as context, the event's (and
    /// its error, as `error=`) as details; an event key replaces a context key of the same name.
    package func log(event: LogEvent) {
        var context = metadata
        if let provided = metadataProvider?.get() {
            context.merge(provided) { _, provided in provided }
        }
        var details = event.metadata ?? [:]
        if let error = event.error, details["error"] == nil {
            details["error"] = .string(String(describing: error))
        }
        for key in details.keys {
            context[key] = nil
        }
        context = redaction.redact(context)
        details = redaction.redact(details)
        let message = event.message.description
        let line =
            switch format {
            case .journal:
                LogLine.journal(level: event.level, context: context, message: message, details: details)
            case .human:
                LogLine.human(
                    timestamp: now().formatted(Self.timestampStyle),
                    level: event.level,
                    context: context,
                    message: message,
                    details: details
                )
            }
        output.write(line)
    }

    /// `2026-11-29T10:00:00Z`: UTC, whole seconds.
    private static let timestampStyle = Date.ISO8601FormatStyle(timeZone: .gmt)
}

extension JournalLogHandler.Format {
    /// ``journal`` when `$JOURNAL_STREAM` in `environment` names the very stream open on
    /// `fileDescriptor` (see `JournalStream`), ``human`` otherwise.
    package static func detected(environment: [String: String], fileDescriptor: Int32) -> Self {
        JournalStream(environment: environment)?.isConnected(to: fileDescriptor) == true ? .journal : .human
    }
}
