import Glibc
import KubeconfigStore
import Testing

/// A replacement planned before the lock is written before the lock too; under the lock only the
/// rename remains, unless the file changed meanwhile.
@Suite("Replacing with bytes prepared before the lock")
struct PreparedReplacementTests {
    @Test func preparedBytesAreRenamedInWithoutPlanningAgain() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/config"
            try writeFile(path, "old", mode: 0o640)
            let expected = KubeconfigStore.ExpectedReplacement(basis: bytes("old"), replacement: bytes("new"))

            var planned = false
            let outcome = try KubeconfigStore(path: path).update(expected: expected) { _ in
                planned = true
                return bytes("planned under the lock")
            }

            #expect(!planned)
            #expect(outcome == .written(previous: bytes("old"), current: bytes("new")))
            #expect(contents(path) == "new")
            #expect(try permissions(path) == 0o640)
            #expect(try directoryEntries(directory) == ["config"], "no lock or temporary file is left")
        }
    }

    @Test func bytesPreparedForAnOlderFileAreDroppedAndTheUpdatePlansAgain() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/config"
            try writeFile(path, "changed by kubectl")
            let expected = KubeconfigStore.ExpectedReplacement(basis: bytes("old"), replacement: bytes("new"))

            let outcome = try KubeconfigStore(path: path).update(expected: expected) { current in
                #expect(current == bytes("changed by kubectl"))
                return bytes("planned under the lock")
            }

            #expect(outcome == .written(previous: bytes("changed by kubectl"), current: bytes("planned under the lock")))
            #expect(contents(path) == "planned under the lock")
            #expect(try directoryEntries(directory) == ["config"], "no lock or temporary file is left")
        }
    }

    /// kubectl rewrites in place: the same inode, and here the same size. The bytes decide.
    @Test func anInPlaceRewriteOfTheSameSizeIsPlannedAgain() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/config"
            try writeFile(path, "old2")
            let expected = KubeconfigStore.ExpectedReplacement(basis: bytes("old1"), replacement: bytes("new"))

            let outcome = try KubeconfigStore(path: path).update(expected: expected) { current in
                #expect(current == bytes("old2"))
                return bytes("planned under the lock")
            }

            #expect(outcome == .written(previous: bytes("old2"), current: bytes("planned under the lock")))
            #expect(try directoryEntries(directory) == ["config"], "no lock or temporary file is left")
        }
    }

    @Test func aLargeFileChangedOnlyInItsLastByteIsPlannedAgain() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/config"
            let basis = [UInt8](repeating: UInt8(ascii: "a"), count: 1 << 20)
            var changed = basis
            changed[changed.count - 1] = UInt8(ascii: "b")
            try writeFile(path, String(decoding: changed, as: UTF8.self))
            let expected = KubeconfigStore.ExpectedReplacement(basis: basis, replacement: bytes("new"))

            let outcome = try KubeconfigStore(path: path).update(expected: expected) { current in
                #expect(current == changed)
                return bytes("planned under the lock")
            }

            #expect(outcome == .written(previous: changed, current: bytes("planned under the lock")))
        }
    }

    @Test func aLargeUnchangedFileIsReplacedByThePreparedBytes() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/config"
            let basis = [UInt8](repeating: UInt8(ascii: "a"), count: (1 << 20) + 7)
            try writeFile(path, String(decoding: basis, as: UTF8.self))
            let expected = KubeconfigStore.ExpectedReplacement(basis: basis, replacement: bytes("new"))

            var planned = false
            let outcome = try KubeconfigStore(path: path).update(expected: expected) { _ in
                planned = true
                return nil
            }

            #expect(!planned)
            #expect(outcome == .written(previous: basis, current: bytes("new")))
            #expect(contents(path) == "new")
        }
    }

    @Test func preparedBytesAreDroppedWhenTheTransformFails() throws {
        struct Refused: Error {}
        try withTemporaryDirectory { directory in
            let path = directory + "/config"
            try writeFile(path, "changed by kubectl")
            let expected = KubeconfigStore.ExpectedReplacement(basis: bytes("old"), replacement: bytes("new"))

            #expect(throws: Refused.self) {
                try KubeconfigStore(path: path).update(expected: expected) { _ in throw Refused() }
            }

            #expect(contents(path) == "changed by kubectl")
            #expect(try directoryEntries(directory) == ["config"], "no lock or temporary file is left")
        }
    }
}
