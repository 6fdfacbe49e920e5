import Glibc

/// `$JOURNAL_STREAM`: `<device>:<inode>` of the stream systemd connected to the service's
/// stdout and stderr (systemd.exec(5)).
///
/// The variable is inherited by children and survives redirections (`status 2>file` run from a
/// unit's shell), so it only counts when a descriptor is still that very stream.
struct JournalStream: Sendable, Hashable {
    let device: UInt64
    let inode: UInt64

    /// `nil` when `$JOURNAL_STREAM` is unset or malformed.
    init?(environment: [String: String]) {
        guard let value = environment["JOURNAL_STREAM"] else { return nil }
        let parts = value.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else { return nil }
        self.device = device
        self.inode = inode
    }

    /// Whether `fileDescriptor` is this stream, by `fstat(2)`'s device and inode.
    func isConnected(to fileDescriptor: Int32) -> Bool {
        var status = stat()
        guard fstat(fileDescriptor, &status) == 0 else { return false }
        return UInt64(status.st_dev) == device && UInt64(status.st_ino) == inode
    }
}
