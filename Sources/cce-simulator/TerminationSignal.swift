import Dispatch
import Glibc

/// Waiting for SIGINT or SIGTERM, or for the end of standard input.
enum TerminationSignal {
    /// Returns when the first of SIGINT and SIGTERM arrives or, with `orEndOfInput`, when
    /// standard input reaches its end.
    ///
    /// libdispatch takes the signals over (their default action, ending the process, is
    /// switched off first) and delivers them on its own queue, where the first event cancels
    /// every source so that the waiting task is resumed once.
    ///
    /// The end of input is how a parent that holds the other end of a pipe (`cce-kubeconfigd
    /// demo`) takes the simulator down with it however the parent ends, killed included: the
    /// kernel closes the parent's end then.
    static func wait(orEndOfInput: Bool = false) async {
        // A file or /dev/null cannot be watched (epoll refuses them), and its end is there already.
        if orEndOfInput, !inputCanBeWatched { return }
        let queue = DispatchQueue(label: "cce-simulator.signals")
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let signals = [SIGINT, SIGTERM].map { number in
                signal(number, SIG_IGN)
                return DispatchSource.makeSignalSource(signal: number, queue: queue)
            }
            let input = orEndOfInput ? DispatchSource.makeReadSource(fileDescriptor: STDIN_FILENO, queue: queue) : nil
            let all: [any DispatchSourceProtocol] = signals + (input.map { [$0] } ?? [])
            let finish = {
                guard !all.contains(where: \.isCancelled) else { return }
                all.forEach { $0.cancel() }
                continuation.resume()
            }
            for source in signals {
                source.setEventHandler(handler: finish)
            }
            input?.setEventHandler {
                var buffer = [UInt8](repeating: 0, count: 512)
                let count = read(STDIN_FILENO, &buffer, buffer.count)
                if count == 0 || (count < 0 && errno != EINTR && errno != EAGAIN) { finish() }
            }
            all.forEach { $0.resume() }
        }
    }

    /// Whether standard input is a pipe, a socket or a terminal: input whose end is yet to come.
    private static var inputCanBeWatched: Bool {
        var status = stat()
        guard fstat(STDIN_FILENO, &status) == 0 else { return false }
        let type = status.st_mode & S_IFMT
        return type == S_IFIFO || type == S_IFSOCK || isatty(STDIN_FILENO) == 1
    }
}
