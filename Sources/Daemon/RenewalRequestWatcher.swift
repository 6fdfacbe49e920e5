import CredentialFiles
import Dispatch
import Glibc

/// Hands the service the renewals `credential N` asks for (``RenewalRequests``): watches the
/// requests directory with inotify and takes every request found, at start and on each event.
final class RenewalRequestWatcher: @unchecked Sendable {
    private let source: DispatchSourceRead

    /// Starts watching and takes the requests already there (call it on `queue`, where
    /// `requested` is always called); `nil` when the directory cannot
    /// be made or watched (a `credential` call then waits for the service's own renewal).
    init?(_ requests: RenewalRequests, queue: DispatchQueue, requested: @escaping (String) -> Void) {
        guard mkdir(requests.directory, 0o700) == 0 || errno == EEXIST else { return nil }
        let descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard descriptor >= 0, inotify_add_watch(descriptor, requests.directory, UInt32(IN_CLOSE_WRITE | IN_MOVED_TO)) >= 0 else {
            if descriptor >= 0 { close(descriptor) }
            return nil
        }
        let source = DispatchSource.makeReadSource(fileDescriptor: descriptor, queue: queue)
        source.setEventHandler {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while buffer.withUnsafeMutableBytes({ read(descriptor, $0.baseAddress, $0.count) }) > 0 {}
            requests.take().forEach(requested)
        }
        source.setCancelHandler { close(descriptor) }
        source.resume()
        self.source = source
        requests.take().forEach(requested)
    }

    func cancel() {
        source.cancel()
    }
}
