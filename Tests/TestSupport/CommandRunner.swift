import Dispatch
import Foundation
import Glibc
import Synchronization

/// How a finished command ended and what it printed.
package struct CommandResult: Sendable {
    package var arguments: [String]
    /// The exit status, or the signal number when ``killedBySignal``.
    package var status: Int32
    package var killedBySignal: Bool
    package var standardOutput: String
    package var standardError: String
    package var duration: Duration

    /// Both streams, for checks that apply to everything a command prints.
    package var output: String { standardOutput + standardError }

    /// The non-empty lines of standard error.
    package var errorLines: [Substring] {
        standardError.split(separator: "\n")
    }
}

/// A command that did not finish in time; it has been killed.
package struct CommandTimedOut: Error, CustomStringConvertible {
    package var arguments: [String]
    package var timeout: Duration

    package var description: String { "\(arguments.joined(separator: " ")) did not finish within \(timeout); killed it" }
}

/// Runs programs with Foundation's `Process`, a timeout, and a private `HOME`.
///
/// `KUBECONFIG` is removed from the environment and `HOME` points at the test's directory, so neither
/// cce-kubeconfigd nor kubectl can reach the developer's own kubeconfig.
package struct CommandRunner: Sendable {
    package var environment: [String: String]
    package var timeout: Duration

    package init(home: String, timeout: Duration = .seconds(60)) {
        var environment = ProcessInfo.processInfo.environment
        environment["KUBECONFIG"] = nil
        environment["HOME"] = home
        self.environment = environment
        self.timeout = timeout
    }

    /// Runs `executable` to the end; throws ``CommandTimedOut`` if it takes longer than ``timeout``.
    package func run(_ executable: String, _ arguments: [String]) throws -> CommandResult {
        try start(executable, arguments).wait(timeout: timeout)
    }

    /// Starts `executable` and returns at once, for tests that watch its output or signal it.
    package func start(_ executable: String, _ arguments: [String]) throws -> RunningCommand {
        try RunningCommand(executable: executable, arguments: arguments, environment: environment)
    }
}

/// A started process whose output is collected while it runs, so a full pipe never blocks it.
///
/// Sendable by hand: after `init` its stored properties are only read, and `Process`,
/// `DispatchSemaphore`, `DispatchGroup` and the `Mutex`-guarded outputs may be used from any thread.
package final class RunningCommand: @unchecked Sendable {
    private let process = Process()
    private let arguments: [String]
    private let exited = DispatchSemaphore(value: 0)
    private let readers = DispatchGroup()
    private let collectedOutput = CollectedOutput()
    private let collectedError = CollectedOutput()
    private let clock = ContinuousClock()
    private let started: ContinuousClock.Instant

    fileprivate init(executable: String, arguments: [String], environment: [String: String]) throws {
        self.arguments = [executable] + arguments
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        let outputPipe = Pipe()
        let errorPipe = Pipe()
        process.standardOutput = outputPipe
        process.standardError = errorPipe
        let exited = exited
        process.terminationHandler = { _ in exited.signal() }
        started = clock.now
        try Self.launching.withLock { _ in try process.run() }
        collectedOutput.collect(from: outputPipe.fileHandleForReading, in: readers)
        collectedError.collect(from: errorPipe.fileHandleForReading, in: readers)
    }

    /// Held while a child is launched: Foundation's `Process.run()` on Linux crashed in a
    /// `memcpy` when tests launched children at the same moment in parallel (seen in CI).
    private static let launching = Mutex(())

    package var processIdentifier: Int32 { process.processIdentifier }

    /// What the process has written to standard output so far.
    package var standardOutput: String { collectedOutput.text }

    /// What the process has written to standard error so far.
    package var standardError: String { collectedError.text }

    /// Sends SIGTERM.
    package func terminate() {
        Glibc.kill(process.processIdentifier, SIGTERM)
    }

    /// Sends SIGKILL unless the process has already exited.
    package func kill() {
        if process.isRunning {
            Glibc.kill(process.processIdentifier, SIGKILL)
        }
    }

    /// Waits for the process to end and for its output; kills it and throws after `timeout`.
    package func wait(timeout: Duration) throws -> CommandResult {
        if exited.wait(timeout: .now() + timeout.inSeconds) == .timedOut {
            Glibc.kill(process.processIdentifier, SIGKILL)
            exited.wait()
            readers.wait()
            throw CommandTimedOut(arguments: arguments, timeout: timeout)
        }
        let duration = started.duration(to: clock.now)
        readers.wait()
        return CommandResult(
            arguments: arguments,
            status: process.terminationStatus,
            killedBySignal: process.terminationReason == .uncaughtSignal,
            standardOutput: collectedOutput.text,
            standardError: collectedError.text,
            duration: duration
        )
    }

    /// Returns once `condition` holds for the standard output so far; throws when the process
    /// exits or `timeout` passes first (generous: a slow machine is not a failure).
    package func waitForOutput(timeout: Duration = .seconds(20), until condition: (String) -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while !condition(standardOutput) {
            guard process.isRunning, ContinuousClock.now < deadline else {
                throw TestSupportFailure("\(arguments.joined(separator: " ")) did not print what was expected; stdout: \(standardOutput) stderr: \(standardError)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}

/// One output stream, read as it arrives on a background queue until its end.
private final class CollectedOutput: Sendable {
    private let data = Mutex(Data())

    func collect(from handle: FileHandle, in group: DispatchGroup) {
        DispatchQueue.global().async(group: group) {
            handle.readRetryingInterruptions { bytes in self.data.withLock { $0.append(contentsOf: bytes) } }
        }
    }

    var text: String {
        data.withLock { String(decoding: $0, as: UTF8.self) }
    }
}

/// Runs blocking `work` (waiting for a process) on a Dispatch thread and awaits its result, so a
/// test that waits for a child process never holds one of the few threads the other tests' tasks run on.
package func offload<Result: Sendable>(_ work: @escaping @Sendable () throws -> Result) async throws -> Result {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Swift.Result { try work() }) }
    }
}

extension Duration {
    /// The duration in seconds, for APIs that take a `TimeInterval`-like number.
    package var inSeconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}

/// Whether `condition` comes true within `timeout`, checked every 100 ms: for what a child process
/// does in its own time. Generous by default, as a slow machine is not a failure.
package func eventually(within timeout: Duration = .seconds(60), _ condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(100))
    }
    return condition()
}

extension FileHandle {
    /// Reads to the end of the stream, handing each chunk to `chunk` as it arrives. Foundation's
    /// `availableData` and `readDataToEndOfFile()` trap on `EINTR`, which a child's SIGCHLD
    /// delivers to whichever thread is blocked reading when tests run in parallel; this reads with
    /// `read(2)` and tries again.
    package func readRetryingInterruptions(_ chunk: (ArraySlice<UInt8>) -> Void) {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fileDescriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                chunk(buffer[..<count])
            } else if count < 0, errno == EINTR {
                continue
            } else {
                return
            }
        }
    }

    /// Everything up to the end of the stream; see ``readRetryingInterruptions(_:)``.
    package func readToEndRetryingInterruptions() -> Data {
        var data = Data()
        readRetryingInterruptions { data.append(contentsOf: $0) }
        return data
    }
}
