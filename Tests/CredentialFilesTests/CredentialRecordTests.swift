import CredentialFiles
import CredentialRecord
import Crypto
import Foundation
import Glibc
import Kubeconfig
import TestSupport
import Testing

/// The record the exec plugin answers from: its format, when it may answer, and how the store
/// keeps it beside the pair.
@Suite struct CredentialRecordTests {
    private let now = Date(timeIntervalSince1970: 1_780_000_000)
    private let identity = CertificateIdentity(
        clusterID: "4e7a9f1c-0000-11ee-8f3a-0255ac100b03",
        projectID: "0123456789abcdef0123456789abcdef",
        endpoint: "https://cce.example",
        keyIDDigest: "ab12"
    )

    private func record(
        files: [FileFingerprint] = [],
        variables: [VariableFingerprint] = [],
        identity: CertificateIdentity? = nil
    ) -> CredentialRecord {
        CredentialRecord(
            usableUntil: 1_780_000_100,
            files: files,
            variables: variables,
            identity: identity,
            answer: Array("{\"kind\":\"ExecCredential\"}\n".utf8)
        )
    }

    @Test func recordReadsBackAsWritten() throws {
        let files = [
            FileFingerprint(
                path: "/state/prod/client.key",
                status: .init(device: 2049, inode: 77, size: 227, changedSeconds: 1_780_000_000, changedNanoseconds: 123_456_789)
            ),
            FileFingerprint(path: "/home/me/.config/cce-kubeconfigd/my config.yaml", status: nil),
        ]
        let variables = [
            VariableFingerprint(of: "EXEC_AK", environment: { _ in "AKEXAMPLE0000000001" }),
            VariableFingerprint(name: "HUAWEICLOUD_SDK_AK", digest: nil),
        ]
        for identity in [nil, identity, CertificateIdentity(clusterID: "c", projectID: "p", endpoint: "e", keyIDDigest: nil)] {
            let original = record(files: files, variables: variables, identity: identity)
            #expect(CredentialRecord(decoding: try #require(original.encoded())) == original)
        }
    }

    @Test func damagedRecordsAreNotRead() throws {
        let variables = [VariableFingerprint(of: "EXEC_AK", environment: { _ in "AK" }), VariableFingerprint(name: "SDK_AK", digest: nil)]
        let bytes = try #require(record(variables: variables, identity: identity).encoded())
        let text = String(decoding: bytes, as: UTF8.self)
        let damaged = [
            Array(bytes.dropLast()),  // the answer cut short
            bytes + [0x0a],  // the answer longer than its count
            Array(text.replacingOccurrences(of: "record 2", with: "record 1").utf8),  // cannot tell a variable changed
            Array(text.replacingOccurrences(of: "variable ", with: "variable 00").utf8),
            Array(text.replacingOccurrences(of: "unset SDK_AK", with: "unset ").utf8),
            Array(text.replacingOccurrences(of: "usable-until 1780000100", with: "usable-until soon").utf8),
            Array(text.replacingOccurrences(of: "cluster 4e7a", with: "clusterid 4e7a").utf8),
            Array(text.replacingOccurrences(of: "project 0123456789abcdef0123456789abcdef\n", with: "").utf8),
            [],
        ]
        for bytes in damaged {
            #expect(CredentialRecord(decoding: bytes) == nil, "\(String(decoding: bytes, as: UTF8.self))")
        }
    }

    @Test func aPathWithALineBreakCannotBeRecorded() {
        #expect(record(files: [FileFingerprint(path: "/tmp/a\nb", status: nil)]).encoded() == nil)
    }

    @Test func answerIsServedOnlyBeforeUsableUntil() {
        #expect(record().answer(at: 1_780_000_099) != nil)
        #expect(record().answer(at: 1_780_000_100) == nil)
    }

    @Test func answerIsNotServedOnceAFingerprintedFileChanged() throws {
        try TemporaryDirectory.with { directory in
            let path = directory.file("config.yaml")
            try Data("clusters: []\n".utf8).write(to: URL(fileURLWithPath: path))
            let fingerprinted = record(files: [FileFingerprint(of: path)])
            #expect(fingerprinted.answer(at: 1_780_000_000) != nil)
            let file = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            try file.write(contentsOf: Data("# edited\n".utf8))
            try file.close()
            #expect(fingerprinted.answer(at: 1_780_000_000) == nil)
        }
    }

    @Test func aMissingFileThatAppearsCountsAsAChange() throws {
        try TemporaryDirectory.with { directory in
            let path = directory.file("access-key")
            let fingerprinted = record(files: [FileFingerprint(of: path)])
            #expect(fingerprinted.answer(at: 1_780_000_000) != nil)
            try Data("AK".utf8).write(to: URL(fileURLWithPath: path))
            #expect(fingerprinted.answer(at: 1_780_000_000) == nil)
        }
    }

    @Test func answerIsNotServedOnceAVariableHoldsAnotherKey() {
        let fingerprinted = record(variables: [VariableFingerprint(of: "EXEC_AK", environment: { _ in "AKFIRST" })])
        #expect(fingerprinted.answer(at: 1_780_000_000, environment: { _ in "AKFIRST" }) != nil)
        #expect(fingerprinted.answer(at: 1_780_000_000, environment: { _ in "AKSECOND" }) == nil)
        #expect(fingerprinted.answer(at: 1_780_000_000, environment: { _ in nil }) == nil)
    }

    @Test func aVariableUnsetWhenRecordedCountsAsAChangeOnceSet() {
        let fingerprinted = record(variables: [VariableFingerprint(of: "HUAWEICLOUD_SDK_AK", environment: { _ in nil })])
        #expect(fingerprinted.answer(at: 1_780_000_000, environment: { _ in "" }) != nil)
        #expect(fingerprinted.answer(at: 1_780_000_000, environment: { _ in "AKNEW" }) == nil)
    }

    @Test func ownSHA256AgreesWithSwiftCrypto() {
        var generator = SystemRandomNumberGenerator()
        for length in [0, 1, 55, 56, 63, 64, 65, 119, 120, 127, 128, 1_000] {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let expected = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
            #expect(SHA256Digest.hex(bytes) == expected, "length \(length)")
        }
    }

    @Test func storeWritesAPrivateRecordThatAnswersWithTheExecCredential() throws {
        try TemporaryDirectory.with { directory in
            let store = CredentialStore(root: directory.path)
            let origin = CredentialOrigin(
                clusterID: "c1",
                projectID: "p1",
                endpoint: "https://cce.example",
                keyID: "access key AKEXAMPLE",
                inputs: []
            )
            try store.write(try TestPairs.client(), for: "prod", origin: origin, now: now)

            #expect(directory.mode(of: store.recordPath(for: "prod")) == 0o600)
            let stored = try #require(try store.read("prod"))
            #expect(store.recordedAnswer(for: "prod", at: now) == stored.execCredential.json)
            #expect(store.recordedAnswer(for: "prod", at: ExecCredential.expiration(of: stored.validity)) == nil)
            #expect(store.origin(of: "prod") == origin)
        }
    }

    @Test func recordHoldsADigestOfTheKeyIDAndNeverTheKeyID() throws {
        try TemporaryDirectory.with { directory in
            let store = CredentialStore(root: directory.path)
            let origin = CredentialOrigin(
                clusterID: "c1",
                projectID: "p1",
                endpoint: "e",
                keyID: "access key AKEXAMPLE0000000001",
                inputs: []
            )
            try store.write(try TestPairs.client(), for: "prod", origin: origin, now: now)
            let text = try String(contentsOfFile: store.recordPath(for: "prod"), encoding: .utf8)
            #expect(!text.contains("AKEXAMPLE0000000001"))
            #expect(text.contains("key-id-sha256 "))
        }
    }

    @Test func recordKeepsTheOriginsVariablesAsDigestsOnly() throws {
        try TemporaryDirectory.with { directory in
            let store = CredentialStore(root: directory.path)
            let variables = [VariableFingerprint(of: "EXEC_AK", environment: { _ in "AKEXAMPLE0000000001" })]
            let origin = CredentialOrigin(clusterID: "c1", projectID: "p1", endpoint: "e", keyID: nil, inputs: [], variables: variables)
            try store.write(try TestPairs.client(), for: "prod", origin: origin, now: now)
            let text = try String(contentsOfFile: store.recordPath(for: "prod"), encoding: .utf8)
            #expect(!text.contains("AKEXAMPLE0000000001"))
            #expect(text.contains("variable \(SHA256Digest.hex(Array("AKEXAMPLE0000000001".utf8))) EXEC_AK\n"))
            #expect(store.origin(of: "prod") == origin)
        }
    }

    @Test func replacingThePairBehindTheStoreStopsTheRecordedAnswer() throws {
        try TemporaryDirectory.with { directory in
            let store = CredentialStore(root: directory.path)
            try store.write(try TestPairs.client(), for: "prod", now: now)
            try Data(try TestPairs.renewed().certificatePEM).write(
                to: URL(fileURLWithPath: store.certificatePath(for: "prod")),
                options: .atomic
            )
            #expect(store.recordedAnswer(for: "prod", at: now) == nil)
        }
    }

    @Test func stampAfterAWatchListChangeAnswersAgainWithTheRecordedIdentity() throws {
        try TemporaryDirectory.with { directory in
            let store = CredentialStore(root: directory.path)
            let config = directory.file("config.yaml")
            try Data("a: 1\n".utf8).write(to: URL(fileURLWithPath: config))
            let origin = CredentialOrigin(clusterID: "c1", projectID: "p1", endpoint: "e", keyID: nil, inputs: [config])
            try store.write(try TestPairs.client(), for: "prod", origin: origin, now: now)
            try Data("a: 2 # edited\n".utf8).write(to: URL(fileURLWithPath: config))
            #expect(store.recordedAnswer(for: "prod", at: now) == nil)

            let stored = try #require(try store.read("prod"))
            let current = CredentialOrigin(identity: nil, inputs: [config])
            try store.stamp(stored, origin: CredentialOrigin(keeping: store.origin(of: "prod"), checkedAgainst: current), for: "prod")
            #expect(store.recordedAnswer(for: "prod", at: now) == stored.execCredential.json)
            #expect(store.origin(of: "prod") == origin)
        }
    }

    @Test func stampLeavesTheRecordAloneWhenThePairChangedSinceItWasRead() throws {
        try TemporaryDirectory.with { directory in
            let store = CredentialStore(root: directory.path)
            try store.write(try TestPairs.client(), for: "prod", now: now)
            let stale = try #require(try store.read("prod"))
            try store.write(try TestPairs.renewed(), for: "prod", now: now)
            let record = try Data(contentsOf: URL(fileURLWithPath: store.recordPath(for: "prod")))
            try store.stamp(stale, origin: .unknown, for: "prod")
            #expect(try Data(contentsOf: URL(fileURLWithPath: store.recordPath(for: "prod"))) == record)
        }
    }

    @Test func anotherClusterContradictsAndAnUnresolvedKeyIDDoesNot() {
        let recorded = CredentialOrigin(clusterID: "c1", projectID: "p1", endpoint: "e", keyID: "access key A", inputs: [])
        #expect(
            CredentialOrigin(clusterID: "c2", projectID: "p1", endpoint: "e", keyID: "access key A", inputs: []).contradicts(
                storedFor: recorded
            )
        )
        #expect(
            CredentialOrigin(clusterID: "c1", projectID: "p2", endpoint: "e", keyID: "access key A", inputs: []).contradicts(
                storedFor: recorded
            )
        )
        #expect(
            CredentialOrigin(clusterID: "c1", projectID: "p1", endpoint: "e2", keyID: "access key A", inputs: []).contradicts(
                storedFor: recorded
            )
        )
        #expect(
            CredentialOrigin(clusterID: "c1", projectID: "p1", endpoint: "e", keyID: "access key B", inputs: []).contradicts(
                storedFor: recorded
            )
        )
        #expect(!CredentialOrigin(clusterID: "c1", projectID: "p1", endpoint: "e", keyID: nil, inputs: []).contradicts(storedFor: recorded))
        #expect(
            !CredentialOrigin(clusterID: "c1", projectID: "p1", endpoint: "e", keyID: "access key A", inputs: []).contradicts(
                storedFor: nil
            )
        )
    }

    @Test func removeTakesTheRecordToo() throws {
        try TemporaryDirectory.with { directory in
            let store = CredentialStore(root: directory.path)
            try store.write(try TestPairs.client(), for: "prod", now: now)
            #expect(try store.remove("prod"))
            #expect(!FileManager.default.fileExists(atPath: store.directory(for: "prod")))
        }
    }

    @Test func aRenewalRequestIsTakenOnceAndForeignNamesAreDropped() throws {
        try TemporaryDirectory.with { directory in
            let requests = RenewalRequests(stateDirectory: directory.path)
            try requests.request("prod")
            try requests.request("prod")
            try requests.request("staging")
            try Data().write(to: URL(fileURLWithPath: requests.directory + "/Not-A-Name"))
            #expect(requests.take() == ["prod", "staging"])
            #expect(requests.take() == [])
            #expect(directory.mode(of: requests.directory) == 0o700)
        }
    }
}
