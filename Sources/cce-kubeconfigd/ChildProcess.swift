#if canImport(Glibc)
import Glibc
#endif

/// A program started with `posix_spawn`, as a shell would start it: default signal actions and
/// no blocked signal, whatever this process ignores or blocks (the demo ignores SIGINT and
/// SIGTERM to read them from a stream, and a child would inherit that).
///
/// Not Foundation's `Process`: the executable links FoundationEssentials only.
struct ChildProcess: Sendable {
    /// What the child's standard input, output and error are: descriptors of this process,
    /// duplicated into the child. `nil` input is `/dev/null`.
    struct Streams {
        var input: Int32?
        var output: Int32
        var error: Int32
    }

    let processIdentifier: pid_t

    /// Starts `path` with `arguments` (without the program name) and `environment`.
    ///
    /// - Parameter ownProcessGroup: puts the child in a process group of its own, so that Ctrl-C
    ///   in the terminal reaches this process only, which then stops the child in its own time.
    /// - Throws: the reason `posix_spawn` gave, as one sentence naming the program.
    static func spawn(
        _ path: String,
        _ arguments: [String],
        environment: [String: String],
        streams: Streams,
        ownProcessGroup: Bool = false
    ) throws(CommandFailure) -> ChildProcess {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let input = streams.input {
            posix_spawn_file_actions_adddup2(&actions, input, STDIN_FILENO)
        } else {
            posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0)
        }
        posix_spawn_file_actions_adddup2(&actions, streams.output, STDOUT_FILENO)
        posix_spawn_file_actions_adddup2(&actions, streams.error, STDERR_FILENO)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        var flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF
        if ownProcessGroup {
            posix_spawnattr_setpgroup(&attributes, 0)
            flags |= POSIX_SPAWN_SETPGROUP
        }
        posix_spawnattr_setflags(&attributes, Int16(flags))

        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        guard spawned == 0 else {
            throw CommandFailure("cannot start \(path): \(String(cString: strerror(spawned)))")
        }
        return ChildProcess(processIdentifier: pid)
    }

    /// A pipe whose two ends are closed in every child process: the end given to a child is
    /// duplicated into it, which clears the flag on the copy.
    static func pipe() throws(CommandFailure) -> (read: Int32, write: Int32) {
        var descriptors: [Int32] = [0, 0]
        guard Glibc.pipe(&descriptors) == 0 else {
            throw CommandFailure("cannot create a pipe: \(String(cString: strerror(errno)))")
        }
        for descriptor in descriptors {
            _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        }
        return (descriptors[0], descriptors[1])
    }

    /// Waits for the child to end (blocking) and returns its exit status; -1 when a signal ended it.
    func waitForExit() -> Int32 {
        var status: Int32 = 0
        while waitpid(processIdentifier, &status, 0) < 0 {
            guard errno == EINTR else { return -1 }
        }
        // The wait(2) status: the low seven bits are the signal that ended the process, else
        // the exit status is in the next byte.
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : -1
    }

    /// Whether the child has ended, reaping it when it has; does not block.
    func hasExited() -> Bool {
        var status: Int32 = 0
        return waitpid(processIdentifier, &status, WNOHANG) == processIdentifier
    }
}
