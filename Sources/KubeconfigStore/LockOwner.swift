import Glibc

/// The line cce-kubeconfigd writes into a lock file it creates: `cce-kubeconfigd pid=1234 boot=<boot id>`.
///
/// kubectl ignores the content of its lock files, and never removes a stale one. The line lets a later run
/// recognise a lock left by a crashed cce-kubeconfigd and remove that one, and only that one.
struct LockOwner {
    let pid: Int32
    let bootID: String

    private static let program = "cce-kubeconfigd"

    /// This boot's id, read once. nil where /proc is missing: then no lock is ever judged abandoned.
    static let currentBootID: String? = {
        guard let file = try? FileDescriptor.open("/proc/sys/kernel/random/boot_id", O_RDONLY),
            let bytes = try? file.readAll()
        else { return nil }
        let id = String(decoding: bytes, as: UTF8.self).trimmingNewlines()
        return id.isEmpty ? nil : id
    }()

    /// This process, as written into the locks it creates.
    static var current: LockOwner {
        LockOwner(pid: getpid(), bootID: currentBootID ?? "unknown")
    }

    init(pid: Int32, bootID: String) {
        self.pid = pid
        self.bootID = bootID
    }

    /// Parses a lock file's content; nil for anything but our own line (kubectl's empty lock, other tools).
    init?(parsing bytes: [UInt8]) {
        let fields = String(decoding: bytes, as: UTF8.self).trimmingNewlines().split(separator: " ")
        guard fields.count == 3, fields[0] == Self.program,
            fields[1].hasPrefix("pid="), let pid = Int32(fields[1].dropFirst(4)), pid > 0,
            fields[2].hasPrefix("boot="), fields[2].count > 5
        else { return nil }
        self.init(pid: pid, bootID: String(fields[2].dropFirst(5)))
    }

    var line: String { "\(Self.program) pid=\(pid) boot=\(bootID)\n" }

    /// True when the lock was left by a cce-kubeconfigd on this machine, in this boot, whose process is gone.
    ///
    /// A lock from another boot id is respected: on a shared (NFS) home it may belong to another machine,
    /// where our process table says nothing.
    var isAbandoned: Bool {
        guard let currentBootID = Self.currentBootID, bootID == currentBootID else { return false }
        return processIsGone(pid)
    }
}

extension String {
    fileprivate func trimmingNewlines() -> String {
        var trimmed = Substring(self)
        while let last = trimmed.last, last.isNewline { trimmed = trimmed.dropLast() }
        return String(trimmed)
    }
}
