import Glibc
import KubeconfigStore
import Testing

/// A replacement planned before the lock is written before the lock too; under the lock only the
/// rename remains, unless the file changed meanwhile.
@Suite("Replacing with bytes prepared before the lock")
struct PreparedReplacementTests {
    /// A small file, and one of more than a megabyte (compared under the lock chunk by chunk).
    @Test(arguments: [3, (1 << 20) + 7])
    func preparedBytesAreRenamedInWithoutPlanningAgain(size: Int) throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/config"
            let basis = [UInt8](repeating: UInt8(ascii: "a"), count: size)
            try writeFile(path, String(decoding: basis, as: UTF8.self), mode: 0o640)
            let expected = KubeconfigStore.ExpectedReplacement(basis: basis, replacement: bytes("new"))

            var planned = false
            let outcome = try KubeconfigStore(path: path).update(expected: expected) { _ in
                planned = true
                return bytes("planned under the lock")
            }

            #expect(!planned)
            #expect(outcome == .written(previous: basis, current: bytes("new")))
            #expect(contents(path) == "new")
            #expect(try permissions(path) == 0o640)
            #expect(try directoryEntries(directory) == ["config"], "no lock or temporary file is left")
        }
    }

    /// How the file can differ from the bytes the replacement was planned against.
    enum Change: String, CaseIterable, CustomTestStringConvertible {
        case otherContent
        /// kubectl rewrites in place: the same inode, and here the same size. The bytes decide.
        case inPlaceRewriteOfTheSameSize
        /// Compared chunk by chunk: a difference in the last byte of a large file counts.
        case lastByteOfALargeFile

        /// (the bytes planned against, the bytes the file holds)
        var contents: (basis: [UInt8], current: [UInt8]) {
            switch self {
            case .otherContent: return (bytes("old"), bytes("changed by kubectl"))
            case .inPlaceRewriteOfTheSameSize: return (bytes("old1"), bytes("old2"))
            case .lastByteOfALargeFile:
                let basis = [UInt8](repeating: UInt8(ascii: "a"), count: 1 << 20)
                return (basis, basis.dropLast() + bytes("b"))
            }
        }

        var testDescription: String { rawValue }
    }

    @Test(arguments: Change.allCases)
    func bytesPreparedForAnOlderFileAreDroppedAndTheUpdatePlansAgain(change: Change) throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/config"
            let (basis, current) = change.contents
            try writeFile(path, String(decoding: current, as: UTF8.self))
            let expected = KubeconfigStore.ExpectedReplacement(basis: basis, replacement: bytes("new"))

            let outcome = try KubeconfigStore(path: path).update(expected: expected) { read in
                #expect(read == current)
                return bytes("planned under the lock")
            }

            #expect(outcome == .written(previous: current, current: bytes("planned under the lock")))
            #expect(contents(path) == "planned under the lock")
            #expect(try directoryEntries(directory) == ["config"], "no lock or temporary file is left")
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
