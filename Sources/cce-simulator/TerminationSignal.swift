import Dispatch
import Foundation

/// Waiting for SIGINT or SIGTERM.
enum TerminationSignal {
    /// Returns when the first of SIGINT and SIGTERM arrives.
    ///
    /// libdispatch takes the signals over (their default action, ending the process, is
    /// switched off first) and delivers them on its own queue, where the first one cancels both
    /// sources so that the waiting task is resumed once.
    static func wait() async {
        let queue = DispatchQueue(label: "cce-simulator.signals")
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let sources = [SIGINT, SIGTERM].map { number in
                signal(number, SIG_IGN)
                return DispatchSource.makeSignalSource(signal: number, queue: queue)
            }
            for source in sources {
                source.setEventHandler {
                    guard !sources.contains(where: \.isCancelled) else { return }
                    sources.forEach { $0.cancel() }
                    continuation.resume()
                }
                source.resume()
            }
        }
    }
}
