import Glibc
import KubeconfigStore
import Testing

@Suite("Error sentences")
struct KubeconfigStoreErrorTests {
    @Test(arguments: [
        (
            KubeconfigStoreError.writeFailed(path: "/h/.kube/config", code: ENOSPC),
            "Cannot write /h/.kube/config: there is no space left on the disk."
        ),
        (
            .writeFailed(path: "/h/.kube/config", code: EROFS),
            "Cannot write /h/.kube/config: the file system is read-only."
        ),
        (
            .writeFailed(path: "/h/.kube/config", code: EACCES),
            "Cannot write /h/.kube/config: permission denied; the file is replaced rather than rewritten, "
                + "so its directory must be writable too."
        ),
        (
            .readFailed(path: "/h/.kube/config", code: ENOENT),
            "Cannot read /h/.kube/config: no such file or directory."
        ),
        (.notAFile(path: "/h/.kube"), "/h/.kube is not a regular file, so it cannot be used as a kubeconfig."),
        (
            .lockFailed(lockPath: "/h/.kube/config.lock", code: EROFS),
            "Cannot create the lock file /h/.kube/config.lock: the file system is read-only."
        ),
        (
            .directoryCreationFailed(path: "/h/.kube", code: EACCES),
            "Cannot create the directory /h/.kube: permission denied."
        ),
        (
            .ownerNotKept(path: "/h/.kube/config", user: 0, group: 0),
            "Cannot replace /h/.kube/config without changing its owner (uid 0, gid 0); "
                + "run as that user or change the file's owner."
        ),
        (
            .lockTimedOut(lockPath: "/h/.kube/config.lock", age: .seconds(7260), waited: .seconds(10)),
            "Waited 10s for the lock file /h/.kube/config.lock, which is 2h 1m old; "
                + "remove it if no kubectl or cce-kubeconfigd is running."
        ),
        (
            .lockTimedOut(lockPath: "/h/.kube/config.lock", age: nil, waited: .milliseconds(250)),
            "Waited 250ms for the lock file /h/.kube/config.lock; "
                + "remove it if no kubectl or cce-kubeconfigd is running."
        ),
    ])
    func describesTheFailureInOneSentenceNamingTheFile(error: KubeconfigStoreError, sentence: String) {
        #expect(error.description == sentence)
    }
}
