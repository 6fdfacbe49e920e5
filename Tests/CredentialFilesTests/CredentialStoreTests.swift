import CredentialFiles
import Foundation
import Glibc
import Kubeconfig
import TestSupport
import Testing

/// The credential files on disk: private, checked before writing, one clear sentence for bad state.
@Suite struct CredentialStoreTests {
    private let now = Date(timeIntervalSince1970: 1_780_000_000)

    @Test func writtenPairReadsBackFromPrivateFilesInAPrivateDirectory() throws {
        try TemporaryDirectory.with { directory in
            let store = CredentialStore(root: directory.file("state/credentials"))
            try store.write(try TestPairs.client(), for: "prod", now: now)

            let stored = try #require(try store.read("prod"))
            #expect(stored.credential == (try TestPairs.client()))
            #expect(stored.validity.notAfter == TestPairs.clientNotAfter)
            #expect(directory.mode(of: store.directory(for: "prod")) == 0o700)
            #expect(directory.mode(of: directory.file("state/credentials")) == 0o700)
            #expect(directory.mode(of: store.keyPath(for: "prod")) == 0o600)
            #expect(directory.mode(of: store.certificatePath(for: "prod")) == 0o600)
        }
    }

    @Test func clusterWithoutFilesHasNoCredential() throws {
        try TemporaryDirectory.with { directory in
            let stored = try CredentialStore(root: directory.path).read("prod")
            #expect(stored == nil)
        }
    }

    @Test func keyWithoutItsCertificateReadsAsNoneYet() throws {
        try TemporaryDirectory.with { directory in
            let store = CredentialStore(root: directory.path)
            try FileManager.default.createDirectory(atPath: store.directory(for: "prod"), withIntermediateDirectories: true)
            try Data(try TestPairs.client().privateKeyPEM).write(to: URL(fileURLWithPath: store.keyPath(for: "prod")))
            #expect(try store.read("prod") == nil)
        }
    }

    @Test func renewalReplacesBothFiles() throws {
        try TemporaryDirectory.with { directory in
            let store = CredentialStore(root: directory.path)
            try store.write(try TestPairs.client(), for: "prod", now: now)
            try store.write(try TestPairs.renewed(), for: "prod", now: now)
            #expect(try store.read("prod")?.credential == (try TestPairs.renewed()))
        }
    }

    @Test func sameBytesAreNotWrittenAgain() throws {
        try TemporaryDirectory.with { directory in
            let store = CredentialStore(root: directory.path)
            try store.write(try TestPairs.client(), for: "prod", now: now)
            let inodes = [directory.inode(of: store.keyPath(for: "prod")), directory.inode(of: store.certificatePath(for: "prod"))]
            try store.write(try TestPairs.client(), for: "prod", now: now)
            #expect([directory.inode(of: store.keyPath(for: "prod")), directory.inode(of: store.certificatePath(for: "prod"))] == inodes)
        }
    }

    @Test func expiredPairIsRefusedAndTheOldOneKept() throws {
        try TemporaryDirectory.with { directory in
            let store = CredentialStore(root: directory.path)
            try store.write(try TestPairs.client(), for: "prod", now: now)
            let expired = try TestPairs.selfSigned(notBefore: now - 7_200, notAfter: now - 60)
            #expect(throws: CredentialFileError.self) { try store.write(expired, for: "prod", now: now) }
            #expect(try store.read("prod")?.credential == (try TestPairs.client()))
        }
    }

    @Test func mismatchedPairIsRefusedBeforeAnythingIsWritten() throws {
        try TemporaryDirectory.with { directory in
            let store = CredentialStore(root: directory.path)
            let mixed = ClientCredential(
                certificatePEM: try TestPairs.renewed().certificatePEM,
                privateKeyPEM: try TestPairs.client().privateKeyPEM
            )
            #expect(throws: CredentialFileError.self) { try store.write(mixed, for: "prod", now: now) }
            #expect(!FileManager.default.fileExists(atPath: store.keyPath(for: "prod")))
        }
    }

    @Test func truncatedKeyOnDiskIsOneSentenceNamingClusterAndFile() throws {
        try TemporaryDirectory.with { directory in
            let store = CredentialStore(root: directory.path)
            try store.write(try TestPairs.client(), for: "prod", now: now)
            let key = try TestPairs.client().privateKeyPEM
            try Data(key.prefix(key.count / 2)).write(to: URL(fileURLWithPath: store.keyPath(for: "prod")))

            let error = try #require(throws: CredentialFileError.self) { try store.read("prod") }
            #expect(
                error.description
                    == "cluster \"prod\": \(store.keyPath(for: "prod")) is not a PEM private key (truncated or damaged); remove its directory to have a new certificate fetched."
            )
        }
    }

    @Test func keyOfAnotherCertificateOnDiskIsOneSentence() throws {
        try TemporaryDirectory.with { directory in
            let store = CredentialStore(root: directory.path)
            try store.write(try TestPairs.client(), for: "prod", now: now)
            try Data(try TestPairs.renewed().privateKeyPEM).write(to: URL(fileURLWithPath: store.keyPath(for: "prod")))

            let error = try #require(throws: CredentialFileError.self) { try store.read("prod") }
            #expect(error == .invalid(watchName: "prod", path: store.keyPath(for: "prod"), problem: .keyDoesNotMatch))
            #expect(
                error.description.hasPrefix(
                    "cluster \"prod\": the private key \(store.keyPath(for: "prod")) does not belong to the certificate beside it"
                )
            )
        }
    }

    @Test func directoryWhereTheCertificateBelongsIsReportedAndNotReplaced() throws {
        try TemporaryDirectory.with { directory in
            let store = CredentialStore(root: directory.path)
            try FileManager.default.createDirectory(atPath: store.certificatePath(for: "prod"), withIntermediateDirectories: true)
            try Data(try TestPairs.client().privateKeyPEM).write(to: URL(fileURLWithPath: store.keyPath(for: "prod")))

            #expect(throws: CredentialFileError.wrongKind(watchName: "prod", path: store.certificatePath(for: "prod"))) {
                try store.read("prod")
            }
            #expect(throws: CredentialFileError.wrongKind(watchName: "prod", path: store.certificatePath(for: "prod"))) {
                try store.write(try TestPairs.renewed(), for: "prod", now: now)
            }
            #expect(try Data(contentsOf: URL(fileURLWithPath: store.keyPath(for: "prod"))) == Data(try TestPairs.client().privateKeyPEM))
        }
    }

    @Test func errorsNeverShowTheKey() throws {
        try TemporaryDirectory.with { directory in
            let store = CredentialStore(root: directory.path)
            try store.write(try TestPairs.client(), for: "prod", now: now)
            try Data(try TestPairs.renewed().privateKeyPEM).write(to: URL(fileURLWithPath: store.keyPath(for: "prod")))
            let error = try #require(throws: CredentialFileError.self) { try store.read("prod") }
            let keyLine = String(String(decoding: try TestPairs.renewed().privateKeyPEM, as: UTF8.self).split(separator: "\n")[1])
            #expect(!error.description.contains(keyLine))
            #expect(!String(reflecting: error).contains(keyLine))
        }
    }

    @Test func removeDeletesTheFilesAndTheDirectory() throws {
        try TemporaryDirectory.with { directory in
            let store = CredentialStore(root: directory.path)
            try store.write(try TestPairs.client(), for: "prod", now: now)
            #expect(try store.remove("prod"))
            #expect(!FileManager.default.fileExists(atPath: store.directory(for: "prod")))
            #expect(try store.remove("prod") == false)
        }
    }

    @Test func removeLeavesAForeignFileAndItsDirectory() throws {
        try TemporaryDirectory.with { directory in
            let store = CredentialStore(root: directory.path)
            try store.write(try TestPairs.client(), for: "prod", now: now)
            let foreign = store.directory(for: "prod") + "/notes.txt"
            try Data("mine".utf8).write(to: URL(fileURLWithPath: foreign))
            try store.remove("prod")
            #expect(FileManager.default.fileExists(atPath: foreign))
            #expect(!FileManager.default.fileExists(atPath: store.keyPath(for: "prod")))
        }
    }

    @Test func validityIsNilForAnUnusablePair() throws {
        try TemporaryDirectory.with { directory in
            let store = CredentialStore(root: directory.path)
            try store.write(try TestPairs.client(), for: "prod", now: now)
            #expect(store.validity(of: "prod")?.notAfter == TestPairs.clientNotAfter)
            try Data("garbage".utf8).write(to: URL(fileURLWithPath: store.keyPath(for: "prod")))
            #expect(store.validity(of: "prod") == nil)
        }
    }

    @Test func heldServiceLockMeansTheServiceIsRunning() throws {
        try TemporaryDirectory.with { directory in
            let presence = ServicePresence(stateDirectory: directory.path)
            #expect(!presence.isRunning)
            var lease = try presence.hold()
            #expect(lease != nil)
            #expect(presence.isRunning)
            #expect(try presence.hold() == nil)
            lease = nil
            #expect(!presence.isRunning)
        }
    }

    @Test func theHoldingServiceNamesItsProcess() throws {
        try TemporaryDirectory.with { directory in
            let presence = ServicePresence(stateDirectory: directory.path)
            var lease = try presence.hold()
            #expect(lease != nil)
            #expect(presence.holderProcessID == getpid())
            lease = nil
            #expect(presence.holderProcessID == nil)
        }
    }
}
