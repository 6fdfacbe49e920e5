import Foundation
import Logging
import ServiceSupport
import Synchronization

/// Collects what a ``JournalLogHandler`` writes, one entry per call of its output.
final class RecordedLines: Sendable {
    private let lines = Mutex<[String]>([])

    var all: [String] { lines.withLock { $0 } }

    var output: LogOutput {
        LogOutput { line in self.lines.withLock { $0.append(line) } }
    }

    /// A logger writing here in `format`, at trace level, with a fixed clock.
    func logger(_ format: JournalLogHandler.Format, redaction: SecretRedaction = .secretLookingKeys) -> Logger {
        Logger(label: "test") { _ in
            JournalLogHandler(
                format: format,
                level: .trace,
                redaction: redaction,
                output: self.output,
                now: { Date(timeIntervalSince1970: 1_795_946_400) }
            )
        }
    }
}
