import Dispatch
import Glibc

/// Calls back when the kubeconfig file is written, replaced or removed by anyone.
///
/// Watches the file's *directory* with inotify: a writer that replaces the file by rename (as
/// cce-kubeconfigd itself does) would leave a watch on the old inode deaf. A symlinked kubeconfig
/// is watched where its target lives.
final class KubeconfigWatcher: @unchecked Sendable {
    private let source: DispatchSourceRead

    /// Starts watching `path`; `nil` without inotify or without the directory (the daemon's 60 s
    /// tick still notices changes then).
    init?(path: String, queue: DispatchQueue, changed: @escaping () -> Void) {
        let resolved = Self.resolvingSymlink(path)
        let slash = resolved.lastIndex(of: "/")
        let directory = slash.map { $0 == resolved.startIndex ? "/" : String(resolved[..<$0]) } ?? "."
        let name = slash.map { String(resolved[resolved.index(after: $0)...]) } ?? resolved
        let descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        let mask = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MODIFY)
        guard descriptor >= 0, inotify_add_watch(descriptor, directory, mask) >= 0 else {
            if descriptor >= 0 { close(descriptor) }
            return nil
        }
        let source = DispatchSource.makeReadSource(fileDescriptor: descriptor, queue: queue)
        source.setEventHandler {
            if Self.drain(descriptor).contains(name) { changed() }
        }
        source.setCancelHandler { close(descriptor) }
        source.resume()
        self.source = source
    }

    func cancel() {
        source.cancel()
    }

    /// Reads every pending event; returns the names they concern.
    private static func drain(_ descriptor: Int32) -> Set<String> {
        var names: Set<String> = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { return names }
            var offset = 0
            let header = MemoryLayout<inotify_event>.size
            while offset + header <= count {
                let length = buffer.withUnsafeBytes { Int($0.load(fromByteOffset: offset + header - 4, as: UInt32.self)) }
                if length > 0 {
                    let bytes = buffer[(offset + header)..<(offset + header + length)].prefix { $0 != 0 }
                    names.insert(String(decoding: bytes, as: UTF8.self))
                }
                offset += header + length
            }
        }
    }

    private static func resolvingSymlink(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
