import Foundation
import Synchronization
import Testing

/// A child process whose output is collected while it runs, so that a full pipe never blocks it.
final class ChildProcess: Sendable {
    /// What the process printed so far; shared with the pipes' handlers.
    private final class Output: Sendable {
        let bytes = Mutex<(standardOutput: [UInt8], standardError: [UInt8])>(([], []))
    }

    private let process: Process
    private let output = Output()

    /// Starts `executable` with `environment` (`HOME` and nothing of the developer's kubeconfig).
    init(_ executable: String, _ arguments: [String], home: URL) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = home.path
        environment["KUBECONFIG"] = nil
        process.environment = environment
        let standardOutput = Pipe()
        let standardError = Pipe()
        process.standardOutput = standardOutput
        process.standardError = standardError
        standardOutput.fileHandleForReading.readabilityHandler = { [output] handle in
            let bytes = handle.availableData
            output.bytes.withLock { $0.standardOutput += bytes }
        }
        standardError.fileHandleForReading.readabilityHandler = { [output] handle in
            let bytes = handle.availableData
            output.bytes.withLock { $0.standardError += bytes }
        }
        try process.run()
    }

    var standardOutput: String { output.bytes.withLock { String(decoding: $0.standardOutput, as: UTF8.self) } }
    var standardError: String { output.bytes.withLock { String(decoding: $0.standardError, as: UTF8.self) } }

    /// Polls until `condition` holds for the output so far, or fails after `timeout`.
    func waitForOutput(timeout: Duration = .seconds(20), until condition: (String) -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while !condition(standardOutput) {
            guard process.isRunning, ContinuousClock.now < deadline else {
                Issue.record("no expected output; stdout: \(standardOutput) stderr: \(standardError)")
                throw CancellationError()
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Sends SIGTERM.
    func terminate() {
        process.terminate()
    }

    /// Waits for the exit and returns its status; kills the process after `timeout`.
    func exitStatus(timeout: Duration = .seconds(20)) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            guard ContinuousClock.now < deadline else {
                kill(process.processIdentifier, SIGKILL)
                Issue.record("the process did not exit within \(timeout)")
                throw CancellationError()
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        // The last output may still be on its way through the pipes.
        try await Task.sleep(for: .milliseconds(50))
        return process.terminationStatus
    }

    /// Runs a command to its end.
    static func run(_ executable: String, _ arguments: [String], home: URL) async throws -> (status: Int32, output: String, error: String) {
        let child = try ChildProcess(executable, arguments, home: home)
        let status = try await child.exitStatus()
        return (status, child.standardOutput, child.standardError)
    }
}

/// The programs the tests run.
enum Programs {
    /// SwiftPM links the executables next to the test bundle, whatever the scratch path.
    static func cceSimulator() throws -> String {
        let testExecutable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let candidate = testExecutable.deletingLastPathComponent().appendingPathComponent("cce-simulator").path
        try #require(
            FileManager.default.isExecutableFile(atPath: candidate),
            "cce-simulator is not at \(candidate); build it with the tests (swift build --build-tests)"
        )
        return candidate
    }

    /// kubectl from `PATH`; `nil` when it is not installed.
    static let kubectl: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/kubectl" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()
}
