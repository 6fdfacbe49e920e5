import Glibc
import ServiceSupport
import Testing

@Suite struct NotifyMessageTests {
    @Test func singleAssignmentsAreSpelledAsSystemdReadsThem() {
        #expect(NotifyMessage.ready.payload == "READY=1")
        #expect(NotifyMessage.stopping.payload == "STOPPING=1")
        #expect(NotifyMessage.watchdog.payload == "WATCHDOG=1")
        #expect(NotifyMessage.status("5 fresh").payload == "STATUS=5 fresh")
        #expect(NotifyMessage.reloading(monotonicMicroseconds: 123_456_789).payload == "RELOADING=1\nMONOTONIC_USEC=123456789")
    }

    @Test func combinedMessagesShareOneDatagramInOrder() {
        let message: NotifyMessage = [.ready, .status("3 fresh; next renewal prod-us 13:05")]
        #expect(message.payload == "READY=1\nSTATUS=3 fresh; next renewal prod-us 13:05")
    }

    @Test func reloadingCarriesTheMonotonicClockNow() throws {
        func monotonicMicroseconds() -> UInt64 {
            var now = timespec()
            clock_gettime(CLOCK_MONOTONIC, &now)
            return UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000
        }
        let before = monotonicMicroseconds()
        let lines = NotifyMessage.reloading.payload.split(separator: "\n")
        let after = monotonicMicroseconds()
        #expect(lines.first == "RELOADING=1")
        let stamp = try #require(lines.last?.split(separator: "=").last.flatMap { UInt64($0) })
        #expect((before...after).contains(stamp))
    }

    @Test func statusKeepsToOneLine() {
        #expect(NotifyMessage.status("1 retrying\nprod-eu: HTTP 503\r\nnext 40s").payload == "STATUS=1 retrying prod-eu: HTTP 503 next 40s")
        #expect(NotifyMessage.status("\ttabs\u{0}and NUL\n").payload == "STATUS=tabs and NUL")
    }

    @Test func longStatusIsCutAtACharacterBoundary() {
        let status = NotifyMessage.status(String(repeating: "é", count: 2_000)).payload
        let text = status.dropFirst("STATUS=".count)
        #expect(text.utf8.count <= NotifyMessage.maximumStatusSize)
        #expect(text.hasSuffix("é…"))
    }
}
