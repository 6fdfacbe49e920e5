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

/// Runs programs with a timeout and a private `HOME`.
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
/// Started with `posix_spawn`, not Foundation's `Process`: on Linux `Process.run()` lists
/// `/proc/self/fd` copying whole 256-byte `d_name` fields, and crashed in that `memcpy` in CI
/// when a record ended at an unmapped page (swift-corelibs-foundation #5472). The child gets
/// `/dev/null` as standard input, the two pipes, no other descriptor of this process, an empty
/// signal mask and default signal actions, as if started from a shell.
///
/// Sendable by hand: after `init` its stored properties are only read, and the semaphore, the
/// dispatch group and the `Mutex`-guarded state may be used from any thread.
package final class RunningCommand: @unchecked Sendable {
    package let processIdentifier: Int32
    private let arguments: [String]
    /// The `waitpid` status once the child has exited and been reaped.
    private let exitStatus = Mutex<Int32?>(nil)
    private let exited = DispatchSemaphore(value: 0)
    private let readers = DispatchGroup()
    private let collectedOutput = CollectedOutput()
    private let collectedError = CollectedOutput()
    private let clock = ContinuousClock()
    private let started: ContinuousClock.Instant

    fileprivate init(executable: String, arguments: [String], environment: [String: String]) throws {
        self.arguments = [executable] + arguments
        let output = try Self.pipe()
        let error = try Self.pipe()
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, output.write, 1)
        posix_spawn_file_actions_adddup2(&actions, error.write, 2)
        _ = GlibcExtensions.closeFrom(&actions, 3)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv + envp { free(pointer) }
        }
        var pid = pid_t()
        started = clock.now
        let spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        close(output.write)
        close(error.write)
        guard spawned == 0 else {
            close(output.read)
            close(error.read)
            throw TestSupportFailure("cannot start \(executable): \(String(cString: strerror(spawned)))")
        }
        processIdentifier = pid
        let child = pid
        collectedOutput.collect(from: output.read, in: readers)
        collectedError.collect(from: error.read, in: readers)
        Thread { [self] in
            var status: Int32 = 0
            while waitpid(child, &status, 0) == -1, errno == EINTR {}
            exitStatus.withLock { $0 = status }
            exited.signal()
        }.start()
    }

    /// A pipe whose two ends are closed in every child but the one they are duplicated into.
    private static func pipe() throws -> (read: Int32, write: Int32) {
        var descriptors: [Int32] = [0, 0]
        guard GlibcExtensions.pipe2(&descriptors, O_CLOEXEC) == 0 else {
            throw TestSupportFailure("cannot make a pipe: \(String(cString: strerror(errno)))")
        }
        return (descriptors[0], descriptors[1])
    }

    private var isRunning: Bool { exitStatus.withLock { $0 == nil } }

    /// What the process has written to standard output so far.
    package var standardOutput: String { collectedOutput.text }

    /// What the process has written to standard error so far.
    package var standardError: String { collectedError.text }

    /// Sends SIGTERM.
    package func terminate() {
        Glibc.kill(processIdentifier, SIGTERM)
    }

    /// Sends SIGKILL unless the process has already exited.
    package func kill() {
        if isRunning {
            Glibc.kill(processIdentifier, SIGKILL)
        }
    }

    /// Waits for the process to end and for its output; kills it and throws after `timeout`.
    package func wait(timeout: Duration) throws -> CommandResult {
        if exited.wait(timeout: .now() + timeout.inSeconds) == .timedOut {
            Glibc.kill(processIdentifier, SIGKILL)
            exited.wait()
            exited.signal()
            readers.wait()
            throw CommandTimedOut(arguments: arguments, timeout: timeout)
        }
        // For the next caller: waiting again returns at once.
        exited.signal()
        let duration = started.duration(to: clock.now)
        readers.wait()
        let status = exitStatus.withLock { $0 } ?? 0
        // The wait(2) status: the low seven bits are the signal that ended the process, else the
        // exit status is in the next byte.
        let signal = status & 0x7f
        return CommandResult(
            arguments: arguments,
            status: signal == 0 ? (status >> 8) & 0xff : signal,
            killedBySignal: signal != 0,
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
            guard isRunning, ContinuousClock.now < deadline else {
                throw TestSupportFailure(
                    "\(arguments.joined(separator: " ")) did not print what was expected; stdout: \(standardOutput) stderr: \(standardError)"
                )
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}

/// The two GNU functions a child's start needs that Swift's Glibc module leaves out (it is
/// imported without `_GNU_SOURCE`): looked up in the C library at first use.
private enum GlibcExtensions {
    typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32

    /// `posix_spawn_file_actions_addclosefrom_np` (glibc 2.34): close every descriptor from `lowest` on.
    static let closeFrom: CloseFrom = function("posix_spawn_file_actions_addclosefrom_np")
    /// `pipe2`: a pipe with flags such as `O_CLOEXEC` set atomically.
    static let pipe2: Pipe2 = function("pipe2")

    private static func function<Function>(_ name: String) -> Function {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else {
            preconditionFailure("the C library has no \(name); the tests need glibc 2.34 or later")
        }
        return unsafeBitCast(symbol, to: Function.self)
    }
}

/// One output stream, read as it arrives on a background queue until its end.
private final class CollectedOutput: Sendable {
    private let data = Mutex(Data())

    func collect(from descriptor: Int32, in group: DispatchGroup) {
        DispatchQueue.global().async(group: group) {
            let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
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
}
