import Glibc

/// A small file of the daemon's own (its state file), read and replaced the way kubeconfigs are:
/// read whole without a lock, replaced atomically (temporary file, fsync, rename, directory
/// fsync) with mode 0600 whatever the old file's, missing directories made 0700, and temporary
/// files of a killed writer removed on the next write.
package struct PrivateFile: Sendable, Hashable {
    package let path: String

    package init(path: String) {
        self.path = path
    }

    /// The file's bytes; `nil` when it does not exist.
    package func read() throws(KubeconfigStoreError) -> [UInt8]? {
        try KubeconfigStore(path: path).read()
    }

    /// Replaces the file with `bytes`.
    package func replace(with bytes: [UInt8]) throws(KubeconfigStoreError) {
        try KubeconfigStore.createDirectories(splitPath(path).directory)
        AtomicFileWriter.removeAbandonedTemporaryFiles(for: path)
        try AtomicFileWriter.replace(path, with: bytes, existing: nil)
    }
}
