#if canImport(Glibc)
import Glibc
#endif

/// What `stat(2)` says of a file, enough to tell that it was not written, replaced or removed
/// since: a replacement by rename has a new inode, a write in place a new change time
/// (nanoseconds), which no `touch` can set back. A file that was missing is recorded as missing,
/// so that its appearance counts as a change too.
package struct FileFingerprint: Sendable, Hashable {
    /// The file as given (absolute), never followed past a symlink's target.
    package var path: String
    /// `nil` when the file did not exist.
    package var status: Status?

    /// The fields of `stat` that change whenever the file does.
    package struct Status: Sendable, Hashable {
        package var device: UInt64
        package var inode: UInt64
        package var size: Int64
        package var changedSeconds: Int64
        package var changedNanoseconds: Int64

        package init(device: UInt64, inode: UInt64, size: Int64, changedSeconds: Int64, changedNanoseconds: Int64) {
            self.device = device
            self.inode = inode
            self.size = size
            self.changedSeconds = changedSeconds
            self.changedNanoseconds = changedNanoseconds
        }
    }

    package init(path: String, status: Status?) {
        self.path = path
        self.status = status
    }

    /// The file at `path` as it is now (through symlinks: a symlinked config counts by its target).
    package init(of path: String) {
        self.path = path
        var info = stat()
        guard stat(path, &info) == 0 else {
            status = nil
            return
        }
        status = Status(
            device: UInt64(info.st_dev),
            inode: UInt64(info.st_ino),
            size: Int64(info.st_size),
            changedSeconds: Int64(info.st_ctim.tv_sec),
            changedNanoseconds: Int64(info.st_ctim.tv_nsec)
        )
    }

    /// Whether the file is still as fingerprinted (still missing, when it was).
    package var isCurrent: Bool {
        FileFingerprint(of: path) == self
    }
}
