import Glibc
import KubeconfigStore
import Testing

@Suite("Reading without the lock")
struct ReadTests {
    @Test func missingFileReadsAsNil() throws {
        try withTemporaryDirectory { directory in
            let inExistingDirectory = try KubeconfigStore(path: directory + "/config").read()
            let inMissingDirectory = try KubeconfigStore(path: directory + "/no/such/dir/config").read()
            #expect(inExistingDirectory == nil)
            #expect(inMissingDirectory == nil)
        }
    }

    @Test func existingFileReadsItsBytes() throws {
        try withTemporaryDirectory { directory in
            try writeFile(directory + "/config", "apiVersion: v1\n")
            let read = try KubeconfigStore(path: directory + "/config").read()
            #expect(read == bytes("apiVersion: v1\n"))
        }
    }

    @Test func aFileOfManyChunksReadsWhole() throws {
        try withTemporaryDirectory { directory in
            let text = (0..<50_000).map { "line \($0)\n" }.joined()
            try writeFile(directory + "/config", text)
            #expect(try KubeconfigStore(path: directory + "/config").read() == bytes(text))
        }
    }

    /// /proc files say they are empty and are not: a file longer than its `fstat` size is read to its end.
    @Test func aFileLongerThanItsStatusSaysReadsWhole() throws {
        let read = try #require(try KubeconfigStore(path: "/proc/self/maps").read())
        #expect(read.count > 0)
        #expect(read.last == UInt8(ascii: "\n"))
    }

    @Test func directoryIsNotAFile() throws {
        try withTemporaryDirectory { directory in
            #expect(throws: KubeconfigStoreError.notAFile(path: directory)) {
                try KubeconfigStore(path: directory).read()
            }
        }
    }

    @Test func namedPipeIsNotAFileAndDoesNotBlock() throws {
        try withTemporaryDirectory { directory in
            let pipe = directory + "/config"
            try #require(mkfifo(pipe, 0o600) == 0)
            #expect(throws: KubeconfigStoreError.notAFile(path: pipe)) {
                try KubeconfigStore(path: pipe).read()
            }
        }
    }

    @Test func pathThroughARegularFileFailsNamingThePath() throws {
        try withTemporaryDirectory { directory in
            try writeFile(directory + "/file", "")
            let path = directory + "/file/config"
            #expect(throws: KubeconfigStoreError.readFailed(path: path, code: ENOTDIR)) {
                try KubeconfigStore(path: path).read()
            }
        }
    }

    @Test(.enabled(if: geteuid() != 0, "root reads any file"))
    func unreadableFileFailsNamingThePath() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/config"
            try writeFile(path, "secret", mode: 0)
            #expect(throws: KubeconfigStoreError.readFailed(path: path, code: EACCES)) {
                try KubeconfigStore(path: path).read()
            }
        }
    }

    @Test func readFileOfAMissingFileIsAnEmptyKubeconfig() throws {
        try withTemporaryDirectory { directory in
            let file = try KubeconfigStore(path: directory + "/config").readFile()
            #expect(file.managedWatchNames.isEmpty)
        }
    }

    @Test func readFileNamesThePathOfContentThatDoesNotParse() throws {
        try withTemporaryDirectory { directory in
            try writeFile(directory + "/config", "- a list, not a mapping\n")
            do throws(KubeconfigUpdateError) {
                _ = try KubeconfigStore(path: directory + "/config").readFile()
                Issue.record("a list was read as a kubeconfig")
            } catch {
                guard case .kubeconfig(_, let path) = error else {
                    Issue.record("expected a kubeconfig error, got \(error)")
                    return
                }
                #expect(path == directory + "/config")
                #expect(error.description.hasPrefix(directory + "/config"), "\(error)")
            }
        }
    }

    @Test func readFileOfADirectoryIsAStoreError() throws {
        try withTemporaryDirectory { directory in
            do throws(KubeconfigUpdateError) {
                _ = try KubeconfigStore(path: directory).readFile()
                Issue.record("a directory was read as a kubeconfig")
            } catch {
                guard case .store(.notAFile(let path)) = error else {
                    Issue.record("expected notAFile, got \(error)")
                    return
                }
                #expect(path == directory)
            }
        }
    }
}
