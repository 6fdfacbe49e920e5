import Foundation
import Glibc
import Testing

@testable import ServiceSupport

@Suite struct LogOutputTests {
    @Test func linesWrittenFromManyTasksArriveWholeAndNewlineTerminated() async throws {
        var ends: [Int32] = [0, 0]
        try #require(pipe(&ends) == 0)
        let (readEnd, writeEnd) = (ends[0], ends[1])
        defer { close(readEnd) }
        // Read on a thread of its own, so the pipe never fills while the tasks write.
        async let text = withCheckedContinuation { continuation in
            Thread {
                var data = [UInt8]()
                var buffer = [UInt8](repeating: 0, count: 65_536)
                while case let count = read(readEnd, &buffer, buffer.count), count > 0 {
                    data += buffer[..<count]
                }
                continuation.resume(returning: String(decoding: data, as: UTF8.self))
            }.start()
        }
        let output = LogOutput.writing(to: writeEnd)
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<8 {
                group.addTask {
                    for line in 0..<100 {
                        output.write("task=\(task) line=\(line) " + String(repeating: "x", count: 200))
                    }
                }
            }
        }
        close(writeEnd)

        let lines = await text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.last == "")
        let expected = (0..<8).flatMap { task in (0..<100).map { "task=\(task) line=\($0) " + String(repeating: "x", count: 200) } }
        #expect(Set(lines.dropLast().map(String.init)) == Set(expected))
        #expect(lines.count == expected.count + 1)
    }
}
