import Dispatch
import Foundation
import Glibc
import Synchronization

/// How a finished command ended and what it printed.
struct CommandResult: Sendable {
    var arguments: [String]
    /// The exit status, or the signal number when ``killedBySignal``.
    var status: Int32
    var killedBySignal: Bool
    var standardOutput: String
    var standardError: String
    var duration: Duration

    /// Both streams, for checks that apply to everything a command prints.
    var output: String { standardOutput + standardError }

    /// The non-empty lines of standard error.
    var errorLines: [Substring] {
        standardError.split(separator: "\n")
    }
}

/// A command that did not finish in time; it has been killed.
struct CommandTimedOut: Error, CustomStringConvertible {
    var arguments: [String]
    var timeout: Duration

    var description: String { "\(arguments.joined(separator: " ")) did not finish within \(timeout); killed it" }
}

/// Runs programs with Foundation's `Process`, a timeout, and a private `HOME`.
///
/// `KUBECONFIG` is removed from the environment and `HOME` points at the test's directory, so neither
/// cce-kubeconfigd nor kubectl can reach the developer's own kubeconfig.
struct CommandRunner: Sendable {
    var environment: [String: String]
    var timeout: Duration

    init(home: String, timeout: Duration = .seconds(60)) {
        var environment = ProcessInfo.processInfo.environment
        environment["KUBECONFIG"] = nil
        environment["HOME"] = home
        self.environment = environment
        self.timeout = timeout
    }

    /// Runs `executable` to the end; throws ``CommandTimedOut`` if it takes longer than ``timeout``.
    func run(_ executable: String, _ arguments: [String]) throws -> CommandResult {
        try start(executable, arguments).wait(timeout: timeout)
    }

    /// Starts `executable` and returns at once, for tests that kill it on purpose.
    func start(_ executable: String, _ arguments: [String]) throws -> RunningCommand {
        try RunningCommand(executable: executable, arguments: arguments, environment: environment)
    }
}

/// A started process whose output is collected while it runs, so a full pipe never blocks it.
///
/// Sendable by hand: after `init` its stored properties are only read, and `Process`,
/// `DispatchSemaphore`, `DispatchGroup` and the `Mutex`-guarded outputs may be used from any thread.
final class RunningCommand: @unchecked Sendable {
    private let process = Process()
    private let arguments: [String]
    private let exited = DispatchSemaphore(value: 0)
    private let readers = DispatchGroup()
    private let standardOutput = CollectedOutput()
    private let standardError = CollectedOutput()
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
        try process.run()
        standardOutput.collect(from: outputPipe.fileHandleForReading, in: readers)
        standardError.collect(from: errorPipe.fileHandleForReading, in: readers)
    }

    var processIdentifier: Int32 { process.processIdentifier }

    /// Sends SIGKILL unless the process has already exited.
    func kill() {
        if process.isRunning {
            Glibc.kill(process.processIdentifier, SIGKILL)
        }
    }

    /// Waits for the process to end and for its output; kills it and throws after `timeout`.
    func wait(timeout: Duration) throws -> CommandResult {
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
            standardOutput: standardOutput.text,
            standardError: standardError.text,
            duration: duration
        )
    }
}

/// One output stream, read to its end on a background queue.
private final class CollectedOutput: Sendable {
    private let data = Mutex(Data())

    func collect(from handle: FileHandle, in group: DispatchGroup) {
        DispatchQueue.global().async(group: group) {
            let bytes = handle.readToEndRetryingInterruptions()
            self.data.withLock { $0 = bytes }
        }
    }

    var text: String {
        data.withLock { String(decoding: $0, as: UTF8.self) }
    }
}

extension FileHandle {
    /// Everything up to the end of the stream. Foundation's `readDataToEndOfFile()` traps on
    /// `EINTR`, which a child's SIGCHLD delivers to whichever thread is reading when tests run in
    /// parallel; this reads with `read(2)` and tries again.
    func readToEndRetryingInterruptions() -> Data {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fileDescriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                data.append(contentsOf: buffer[..<count])
            } else if count < 0, errno == EINTR {
                continue
            } else {
                return data
            }
        }
    }
}
