import Foundation
import Glibc
import RefreshCore
import RefreshState
import Testing

@Suite struct StateFileTests {
    let snapshot = RefreshStateSnapshot(
        updatedAt: t0,
        clusters: [
            "prod": ClusterState(lastSuccess: t0 - hours(2), nextAttempt: t0 + days(4), certificateNotAfter: t0 + days(6)),
            "staging": ClusterState(
                lastSuccess: t0 - days(1),
                lastError: "CCE answered HTTP 503 for cluster \"staging\"",
                lastErrorAt: t0 - minutes(5),
                consecutiveFailures: 3,
                nextAttempt: t0 + minutes(1),
                certificateNotAfter: t0 + days(5)
            ),
        ]
    )

    @Test func writtenStateReadsBackUnchanged() throws {
        try TemporaryDirectory.with { directory in
            let file = StateFile(path: directory.file("state/cce-kubeconfigd/state.json"))
            try file.write(snapshot)
            #expect(try file.read() == snapshot)
        }
    }

    @Test func missingFileReadsAsNoState() throws {
        try TemporaryDirectory.with { directory throws in
            #expect(try StateFile(path: directory.file("nowhere/state.json")).read() == nil)
        }
    }

    @Test func fileIsPrivateAndNewDirectoriesAre0700() throws {
        try TemporaryDirectory.with { directory in
            try StateFile(path: directory.file("state/cce-kubeconfigd/state.json")).write(snapshot)
            #expect(directory.mode(of: "state/cce-kubeconfigd/state.json") == 0o600)
            #expect(directory.mode(of: "state/cce-kubeconfigd") == 0o700)
            #expect(directory.mode(of: "state") == 0o700)
        }
    }

    @Test func existingDirectoryKeepsItsMode() throws {
        try TemporaryDirectory.with { directory in
            try FileManager.default.createDirectory(
                atPath: directory.file("shared"),
                withIntermediateDirectories: false,
                attributes: [.posixPermissions: 0o750]
            )
            try StateFile(path: directory.file("shared/state.json")).write(snapshot)
            #expect(directory.mode(of: "shared") == 0o750)
            #expect(directory.mode(of: "shared/state.json") == 0o600)
        }
    }

    @Test func replacingLeavesOnlyTheStateFile() throws {
        try TemporaryDirectory.with { directory in
            let file = StateFile(path: directory.file("state.json"))
            var changing = snapshot
            for minute in 0..<20 {
                changing.updatedAt = t0 + minutes(Double(minute))
                try file.write(changing)
            }
            #expect(try directory.entries() == ["state.json"])
            #expect(try file.read() == changing)
        }
    }

    @Test func replacingKeepsTheFilePrivateWhateverItsModeWas() throws {
        try TemporaryDirectory.with { directory in
            let file = StateFile(path: directory.file("state.json"))
            try file.write(snapshot)
            chmod(file.path, 0o644)
            try file.write(snapshot)
            #expect(directory.mode(of: "state.json") == 0o600)
        }
    }

    @Test func temporaryFileOfAKilledWriterIsRemovedOnTheNextWrite() throws {
        try TemporaryDirectory.with { directory in
            let gone = directory.file(".state.json.cce-kubeconfigd-2147483646-abc.tmp")
            let alive = directory.file(".state.json.cce-kubeconfigd-\(getpid())-abc.tmp")
            #expect(FileManager.default.createFile(atPath: gone, contents: Data("{".utf8)))
            #expect(FileManager.default.createFile(atPath: alive, contents: Data("{".utf8)))
            try StateFile(path: directory.file("state.json")).write(snapshot)
            #expect(try directory.entries() == [".state.json.cce-kubeconfigd-\(getpid())-abc.tmp", "state.json"])
        }
    }

    @Test(arguments: [
        ("", "not JSON"),
        ("{\"version\": 1, \"updatedAt\": \"2026-05-09T", "not JSON"),
        ("[1, 2]", "wrong type"),
        ("{\"version\": 1, \"clusters\": {}}", "no \"updatedAt\""),
        ("{\"version\": 1, \"updatedAt\": \"yesterday\", \"clusters\": {}}", "unreadable value at updatedAt"),
        (
            "{\"version\": 1, \"updatedAt\": \"2026-05-09T00:00:00Z\", \"clusters\": {\"prod\": {\"consecutiveFailures\": \"3\"}}}",
            "wrong type at clusters.prod.consecutiveFailures"
        ),
    ])
    func corruptFileIsReportedWithItsPathAndWhatIsWrong(content: String, reason: String) throws {
        try TemporaryDirectory.with { directory in
            let path = directory.file("state.json")
            #expect(FileManager.default.createFile(atPath: path, contents: Data(content.utf8)))
            let error = #expect(throws: StateFileError.self) { try StateFile(path: path).read() }
            guard case .corrupt(let reported, let why)? = error else {
                Issue.record("expected a corrupt-file error, got \(String(describing: error))")
                return
            }
            #expect(reported == path)
            #expect(why == reason)
            #expect(error?.description.contains(path) == true)
        }
    }

    @Test func stateFromANewerLayoutIsRefused() throws {
        try TemporaryDirectory.with { directory in
            let path = directory.file("state.json")
            var newer = snapshot
            newer.version = RefreshStateSnapshot.currentVersion + 1
            #expect(FileManager.default.createFile(atPath: path, contents: Data(newer.encoded())))
            #expect(throws: StateFileError.unsupportedVersion(path: path, version: newer.version)) { try StateFile(path: path).read() }
        }
    }

    @Test func unknownKeysFromANewerDaemonAreIgnored() throws {
        try TemporaryDirectory.with { directory in
            let path = directory.file("state.json")
            let text = """
                {"version": 1, "updatedAt": "2026-05-09T00:00:00Z", "pid": 42,
                 "clusters": {"prod": {"consecutiveFailures": 0, "lastSuccess": "2026-05-08T23:00:00Z", "breaker": "closed"}}}
                """
            #expect(FileManager.default.createFile(atPath: path, contents: Data(text.utf8)))
            let read = try #require(try StateFile(path: path).read())
            #expect(read.clusters["prod"]?.lastSuccess == ISO8601DateFormatter().date(from: "2026-05-08T23:00:00Z"))
        }
    }

    @Test func aDirectoryThatCannotBeMadeIsReportedByItsPath() throws {
        try TemporaryDirectory.with { directory in
            #expect(FileManager.default.createFile(atPath: directory.file("blocker"), contents: Data()))
            let error = #expect(throws: StateFileError.directoryCreationFailed(path: directory.file("blocker"), code: ENOTDIR)) {
                try StateFile(path: directory.file("blocker/cce-kubeconfigd/state.json")).write(snapshot)
            }
            #expect(error?.description == "Cannot create the state directory \(directory.file("blocker")): not a directory.")
        }
    }

    @Test func aDirectoryInPlaceOfTheFileIsRefusedByName() throws {
        try TemporaryDirectory.with { directory in
            let path = directory.file("state.json")
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
            let error = #expect(throws: StateFileError.notAFile(path: path)) { try StateFile(path: path).read() }
            #expect(error?.description == "The state file \(path) is not a regular file; remove what is there.")
            #expect(throws: StateFileError.writeFailed(path: path, code: EISDIR)) { try StateFile(path: path).write(snapshot) }
            #expect(try directory.entries() == ["state.json"])
        }
    }

    @Test func stateIsWrittenAsStableSortedJSON() throws {
        let small = RefreshStateSnapshot(
            updatedAt: t0,
            clusters: [
                "b": ClusterState(lastSuccess: t0 - hours(1), consecutiveFailures: 0, certificateNotAfter: t0 + days(7)),
                "a": ClusterState(
                    lastError: "no route to https://cce.example/api",
                    lastErrorAt: t0,
                    consecutiveFailures: 1,
                    nextAttempt: t0 + 2
                ),
            ]
        )
        #expect(
            String(decoding: small.encoded(), as: UTF8.self) == """
                {
                  "clusters" : {
                    "a" : {
                      "consecutiveFailures" : 1,
                      "lastError" : "no route to https://cce.example/api",
                      "lastErrorAt" : "2026-05-09T06:13:20Z",
                      "nextAttempt" : "2026-05-09T06:13:22Z"
                    },
                    "b" : {
                      "certificateNotAfter" : "2026-05-16T06:13:20Z",
                      "consecutiveFailures" : 0,
                      "lastSuccess" : "2026-05-09T05:13:20Z"
                    }
                  },
                  "updatedAt" : "2026-05-09T06:13:20Z",
                  "version" : 1
                }

                """
        )
    }
}
