import CCESigning
import Dispatch
import Glibc
import WatchList

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Runs a `type: process` command and reads the credentials it prints, like aws's
/// `credential_process`.
///
/// The command runs without a shell, in a process group of its own, with standard input from
/// `/dev/null`. It must finish within the set's timeout and print at most ``outputLimit`` bytes
/// of JSON: `access`, `secret`, `securitytoken` and `expires_at`, or `token` and `expires_at`.
/// Its standard error goes to the log, line by line (never to the kubeconfig or a message); its
/// standard output is never shown anywhere.
struct CredentialProcess: Sendable {
    /// The most output read; more is an error, so a runaway command cannot fill the memory.
    static let outputLimit = 64 * 1024

    /// How a run ended, before its output is read.
    enum Ending: Sendable, Hashable {
        case exited(Int32)
        case signalled(Int32)
        case timedOut
        case outputTooLarge
    }

    /// What the run produced.
    struct Run: Sendable {
        var ending: Ending
        var output: [UInt8]
        /// Standard error, cut to ``outputLimit`` bytes.
        var errorOutput: [UInt8]
    }

    var process: ProcessSet
    var environment: [String: String]

    /// Runs the command and reads its credentials; `logLine` receives each line of its standard error.
    func credentials(now: Date) async throws(ExchangeFailure) -> (TemporaryCredential, stderr: [String]) {
        let obtaining = CredentialExchange.process(process).obtaining
        let run: Run
        do {
            run = try await execute()
        } catch {
            throw .local(error.description, obtaining: obtaining)
        }
        let lines = String(decoding: run.errorOutput, as: UTF8.self).split(whereSeparator: \.isNewline).map(String.init)
        do {
            return (try Self.read(run, program: process.program, timeout: process.timeout, now: now), lines)
        } catch {
            throw .local(error.description, obtaining: obtaining)
        }
    }

    /// The credentials of a finished run, or the one sentence that says what is wrong. Pure.
    static func read(_ run: Run, program: String, timeout: Duration, now: Date) throws(ProcessProblem) -> TemporaryCredential {
        let command = "the command \(program)"
        switch run.ending {
        case .exited(0): break
        case .exited(let status): throw ProcessProblem("\(command) exited with status \(status)")
        case .signalled(let signal): throw ProcessProblem("\(command) was killed by signal \(signal)")
        case .timedOut: throw ProcessProblem("\(command) did not finish within \(timeout.components.seconds)s and was stopped")
        case .outputTooLarge: throw ProcessProblem("\(command) printed more than \(outputLimit / 1024) KiB and was stopped")
        }
        guard run.output.contains(where: { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) }) else {
            throw ProcessProblem(
                "\(command) printed nothing; it must print JSON with access, secret, securitytoken and expires_at, or token and expires_at"
            )
        }
        guard let object = JSONValue.parse(run.output), case .object = object else {
            throw ProcessProblem("\(command) printed something that is not a JSON object")
        }
        guard let expiry = object["expires_at"]?.string, let expiresAt = PasswordLogin.expiry(expiry) else {
            throw ProcessProblem("the JSON printed by \(command) has no expires_at in ISO 8601 UTC, such as 2026-01-01T00:00:00Z")
        }
        guard expiresAt > now else {
            throw ProcessProblem("the credentials printed by \(command) expired at \(expiresAt.formatted(.iso8601))")
        }
        if let access = object["access"]?.string?.nonEmpty, let secret = object["secret"]?.string?.nonEmpty {
            let key = AccessKeyCredential(accessKey: access, secretKey: secret, securityToken: object["securitytoken"]?.string?.nonEmpty)
            return TemporaryCredential(authentication: .accessKey(key), expiresAt: expiresAt)
        }
        if let token = object["token"]?.string?.nonEmpty {
            return TemporaryCredential(authentication: .token(token), expiresAt: expiresAt)
        }
        throw ProcessProblem("the JSON printed by \(command) has neither access and secret (with securitytoken) nor token")
    }

    /// Spawns the command and collects its output on a thread of its own: the wait blocks in `poll`.
    private func execute() async throws(ProcessProblem) -> Run {
        let command = process.command
        let environment = environment.map { "\($0.key)=\($0.value)" }
        let timeout = process.timeout
        let result: Result<Run, ProcessProblem> = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(
                    returning: Result { () throws(ProcessProblem) in
                        try Self.spawnAndWait(command, environment: environment, timeout: timeout)
                    }
                )
            }
        }
        return try result.get()
    }

    private static func spawnAndWait(_ command: [String], environment: [String], timeout: Duration) throws(ProcessProblem) -> Run {
        var output: [Int32] = [0, 0]
        var errors: [Int32] = [0, 0]
        guard pipe(&output) == 0 else { throw ProcessProblem("cannot make a pipe: \(String(cString: strerror(errno)))") }
        guard pipe(&errors) == 0 else {
            close(output[0])
            close(output[1])
            throw ProcessProblem("cannot make a pipe: \(String(cString: strerror(errno)))")
        }
        // Other commands spawned meanwhile must not inherit these ends (the child gets its own copies by dup2).
        for descriptor in output + errors {
            _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, output[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errors[1], 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)

        var pid: pid_t = 0
        let arguments = command.map { strdup($0) } + [nil]
        let variables = environment.map { strdup($0) } + [nil]
        defer {
            arguments.forEach { free($0) }
            variables.forEach { free($0) }
        }
        var status = posix_spawnp(&pid, command[0], &actions, &attributes, arguments, variables)
        // A program just written (an updated helper) is busy while any process still holds it
        // open for writing, such as a child forked elsewhere in this process in the meantime.
        for _ in 0..<20 where status == ETXTBSY {
            usleep(10_000)
            status = posix_spawnp(&pid, command[0], &actions, &attributes, arguments, variables)
        }
        close(output[1])
        close(errors[1])
        guard status == 0 else {
            close(output[0])
            close(errors[0])
            throw ProcessProblem("the command \(command[0]) cannot be started: \(String(cString: strerror(status)))")
        }

        let deadline = ContinuousClock.now.advanced(by: timeout)
        var collected: [[UInt8]] = [[], []]
        var open = [true, true]
        var ending: Ending?
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while open.contains(true) {
            let left = ContinuousClock.now.duration(to: deadline)
            guard left > .zero else {
                ending = .timedOut
                break
            }
            var polled = [
                pollfd(fd: output[0], events: Int16(POLLIN), revents: 0), pollfd(fd: errors[0], events: Int16(POLLIN), revents: 0),
            ]
            for index in 0..<2 where !open[index] { polled[index].fd = -1 }
            let milliseconds = Int32(clamping: left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000 + 1)
            let ready = poll(&polled, 2, milliseconds)
            if ready < 0 && errno == EINTR { continue }
            for index in 0..<2 where open[index] && polled[index].revents != 0 {
                let count = buffer.withUnsafeMutableBytes { Glibc.read(polled[index].fd, $0.baseAddress, $0.count) }
                if count <= 0 {
                    if count < 0 && errno == EINTR { continue }
                    open[index] = false
                } else if collected[index].count + count > outputLimit {
                    // Standard error past the limit is read and dropped, so the command never blocks on it.
                    if index == 0 { ending = .outputTooLarge } else { collected[1] += buffer[..<max(0, outputLimit - collected[1].count)] }
                } else {
                    collected[index] += buffer[..<count]
                }
            }
            if ending != nil { break }
        }
        close(output[0])
        close(errors[0])
        var waitStatus: Int32 = 0
        // A command may close its output and go on running: it still has until the deadline.
        while ending == nil, waitpid(pid, &waitStatus, WNOHANG) == 0 {
            guard ContinuousClock.now < deadline else {
                ending = .timedOut
                break
            }
            usleep(10_000)
        }
        if ending != nil {
            // The whole group: a helper script's own children stop with it.
            kill(-pid, SIGKILL)
            while waitpid(pid, &waitStatus, 0) < 0 && errno == EINTR {}
        } else {
            let signal = waitStatus & 0x7f
            ending = signal == 0 ? .exited((waitStatus >> 8) & 0xff) : .signalled(signal)
        }
        return Run(ending: ending ?? .timedOut, output: collected[0], errorOutput: collected[1])
    }
}

/// Why a credential process gave nothing usable; one sentence, never quoting its output.
struct ProcessProblem: Error, Sendable, Hashable, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
