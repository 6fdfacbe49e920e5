import Glibc

/// The errno of a failed system call. Internal: callers turn it into a ``KubeconfigStoreError`` naming the file
/// the operator knows about, which is not always the one the call was made on (a lock, a temporary file).
struct SystemError: Error {
    let code: Int32

    /// The current thread's errno.
    static var current: SystemError { SystemError(code: errno) }
}

/// Runs a system call again while it is interrupted by a signal.
func retryingInterrupts<Result: BinaryInteger>(_ call: () -> Result) -> Result {
    while true {
        let result = call()
        if result != -1 || errno != EINTR { return result }
    }
}

/// True only when no process with this id exists on this machine. EPERM means it exists under another user.
func processIsGone(_ pid: Int32) -> Bool {
    pid > 0 && kill(pid, 0) == -1 && errno == ESRCH
}

/// `lstat` of a path, nil when it fails.
func linkStatus(_ path: String) -> stat? {
    var status = stat()
    return lstat(path, &status) == 0 ? status : nil
}

/// The file type bits of a mode say "regular file".
func isRegularFile(_ status: stat) -> Bool {
    status.st_mode & S_IFMT == S_IFREG
}

/// The file type bits of a mode say "symbolic link".
func isSymbolicLink(_ status: stat) -> Bool {
    status.st_mode & S_IFMT == S_IFLNK
}

/// The file type bits of a mode say "directory".
func isDirectory(_ status: stat) -> Bool {
    status.st_mode & S_IFMT == S_IFDIR
}
