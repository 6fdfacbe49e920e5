import Foundation
import Logging
import ServiceSupport
import Testing

@Suite struct JournalLogHandlerTests {
    struct Refused: Error, CustomStringConvertible {
        var description: String { "HTTP 503\nService Unavailable" }
    }

    @Test func humanLineHasTimestampLevelContextMessageAndSortedDetails() {
        let recorded = RecordedLines()
        var logger = recorded.logger(.human)
        logger[metadataKey: "cluster"] = "prod"
        logger.warning("renewal failed", metadata: ["next": "40s", "attempt": "3"])
        #expect(recorded.all == ["2026-11-29T10:00:00Z warning cluster=prod: renewal failed attempt=3 next=40s"])
    }

    @Test func humanLineWithoutContextPutsTheColonAfterTheLevel() {
        let recorded = RecordedLines()
        recorded.logger(.human).info("started", metadata: ["clusters": "3"])
        #expect(recorded.all == ["2026-11-29T10:00:00Z info: started clusters=3"])
    }

    @Test func journalLineHasPriorityPrefixAndNoTimestampOrLevel() {
        let recorded = RecordedLines()
        var logger = recorded.logger(.journal)
        logger[metadataKey: "cluster"] = "prod"
        logger.warning("renewal failed", metadata: ["next": "40s"])
        recorded.logger(.journal).info("started")
        #expect(recorded.all == ["<4>cluster=prod: renewal failed next=40s", "<6>started"])
    }

    @Test(arguments: [
        (Logger.Level.trace, 7), (.debug, 7), (.info, 6), (.notice, 5), (.warning, 4), (.error, 3), (.critical, 2),
    ])
    func levelMapsToSyslogPriority(level: Logger.Level, priority: Int) {
        let recorded = RecordedLines()
        recorded.logger(.journal).log(level: level, "event")
        #expect(recorded.all == ["<\(priority)>event"])
    }

    @Test func eachEventIsExactlyOneLine() {
        let recorded = RecordedLines()
        for format in [JournalLogHandler.Format.journal, .human] {
            var logger = recorded.logger(format)
            logger[metadataKey: "clu\nster"] = "pr\rod"
            logger.error("first\nsecond\r\nthird\u{0}\u{1B}[31m", error: Refused(), metadata: ["body": "a\nb", "list": ["x\ny"]])
        }
        #expect(recorded.all.count == 2)
        #expect(recorded.all.allSatisfy { !$0.contains(where: \.isNewline) && !$0.unicodeScalars.contains { $0.value < 0x20 } })
        #expect(
            recorded.all.first
                == #"<3>clu\nster="pr\rod": first\nsecond\r\nthird\u{0}\u{1b}[31m body="a\nb" error="HTTP 503\nService Unavailable" list="[x\ny]""#
        )
    }

    @Test func valuesAreQuotedOnlyWhenNeeded() {
        let recorded = RecordedLines()
        recorded.logger(.journal).info(
            "values",
            metadata: [
                "plain": "https://cce.example/v3",
                "spaced": "HTTP 503",
                "quote": #"say "hi" \ bye"#,
                "equals": "a=b",
                "empty": "",
                "nested": ["b": "2", "a": ["1", "2"]],
            ]
        )
        #expect(
            recorded.all
                == [
                    #"<6>values empty="" equals="a=b" nested="[a: [1, 2], b: 2]" plain=https://cce.example/v3 quote="say \"hi\" \\ bye" spaced="HTTP 503""#
                ]
        )
    }

    @Test func eventMetadataOverridesTheLoggersAndAppearsOnceAfterTheMessage() {
        let recorded = RecordedLines()
        var logger = recorded.logger(.journal)
        logger[metadataKey: "cluster"] = "prod"
        logger[metadataKey: "phase"] = "startup"
        logger.info("moved", metadata: ["phase": "reload"])
        #expect(recorded.all == ["<6>cluster=prod: moved phase=reload"])
    }

    @Test func metadataProviderValuesAreContext() {
        let recorded = RecordedLines()
        var logger = recorded.logger(.journal)
        logger.handler.metadataProvider = Logger.MetadataProvider { ["pass": "7"] }
        logger.info("done")
        #expect(recorded.all == ["<6>pass=7: done"])
    }

    @Test func secretLookingMetadataIsRedactedInContextAndDetails() {
        let recorded = RecordedLines()
        var logger = recorded.logger(.human)
        logger[metadataKey: "X-Auth-Token"] = "MIIZ-token-bytes"
        logger.info(
            "request",
            metadata: [
                "sk": "S3CR3T",
                "client-key-data": "LS0tLS1CRUdJTi",
                "cluster": "prod",
                "auth": ["password": "hunter2", "user": "ops"],
            ]
        )
        let line = recorded.all.joined()
        for secret in ["MIIZ-token-bytes", "S3CR3T", "LS0tLS1CRUdJTi", "hunter2"] {
            #expect(!line.contains(secret))
        }
        #expect(
            line
                == "2026-11-29T10:00:00Z info X-Auth-Token=<redacted>: request auth=\"[password: <redacted>, user: ops]\" client-key-data=<redacted> cluster=prod sk=<redacted>"
        )
    }

    @Test func customRedactionDecidesWhichKeysAreHidden() {
        let recorded = RecordedLines()
        let logger = recorded.logger(.journal, redaction: SecretRedaction { $0 == "email" })
        logger.info("mail", metadata: ["email": "ops@example.com", "token": "visible"])
        #expect(recorded.all == ["<6>mail email=<redacted> token=visible"])
    }

    @Test func logLevelFiltersAndStaysPerLogger() {
        let recorded = RecordedLines()
        var quiet = Logger(label: "test") { _ in JournalLogHandler(format: .journal, level: .warning, output: recorded.output) }
        var verbose = quiet
        verbose.logLevel = .debug
        quiet[metadataKey: "only"] = "quiet"
        quiet.info("dropped")
        quiet.error("kept")
        verbose.debug("verbose")
        #expect(recorded.all == ["<3>only=quiet: kept", "<7>verbose"])
        #expect(quiet.logLevel == .warning)
    }

    @Test func formatIsJournalOnlyWhenJournalStreamIsThatDescriptor() throws {
        let directory = FileManager.default.temporaryDirectory
        let journal = directory.appendingPathComponent("journal-\(UUID().uuidString)")
        let other = directory.appendingPathComponent("other-\(UUID().uuidString)")
        let journalDescriptor = open(journal.path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        let otherDescriptor = open(other.path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        defer {
            close(journalDescriptor)
            close(otherDescriptor)
            unlink(journal.path)
            unlink(other.path)
        }
        try #require(journalDescriptor >= 0 && otherDescriptor >= 0)
        var status = stat()
        try #require(fstat(journalDescriptor, &status) == 0)
        let environment = ["JOURNAL_STREAM": "\(status.st_dev):\(status.st_ino)"]

        #expect(JournalLogHandler.Format.detected(environment: environment, fileDescriptor: journalDescriptor) == .journal)
        #expect(JournalLogHandler.Format.detected(environment: environment, fileDescriptor: otherDescriptor) == .human)
        #expect(JournalLogHandler.Format.detected(environment: [:], fileDescriptor: journalDescriptor) == .human)
        for malformed in ["", "\(status.st_dev)", "\(status.st_dev):\(status.st_ino):1", "x:\(status.st_ino)"] {
            #expect(
                JournalLogHandler.Format.detected(environment: ["JOURNAL_STREAM": malformed], fileDescriptor: journalDescriptor) == .human
            )
        }
    }
}
