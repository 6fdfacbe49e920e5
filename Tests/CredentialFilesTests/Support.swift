import Foundation
import Glibc
import Kubeconfig
import TestSupport

/// The committed fixture PKI and pairs made per run.
enum TestPairs {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func fixture(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: repository.appendingPathComponent("Tests/Fixtures/pki/\(name)")))
    }

    /// `client.crt` with `client.key`: valid from 2026-01-01 to 2036-01-01.
    static func client() throws -> ClientCredential {
        ClientCredential(certificatePEM: try fixture("client.crt"), privateKeyPEM: try fixture("client.key"))
    }

    /// `renewed-client.crt` with its key: what a renewal brings.
    static func renewed() throws -> ClientCredential {
        ClientCredential(certificatePEM: try fixture("renewed-client.crt"), privateKeyPEM: try fixture("renewed-client.key"))
    }

    static let clientNotAfter = Date(timeIntervalSince1970: 2_082_758_400)  // 2036-01-01T00:00:00Z

    /// A self-signed P-256 pair valid exactly over `notBefore ..< notAfter`.
    static func selfSigned(notBefore: Date, notAfter: Date) throws -> ClientCredential {
        let pair = try TestCertificates.selfSignedPair(
            commonName: "cce-kubeconfigd credential test",
            notBefore: notBefore,
            notAfter: notAfter
        )
        return ClientCredential(certificatePEM: Array(pair.certificatePEM.utf8), privateKeyPEM: Array(pair.privateKeyPEM.utf8))
    }
}

/// A fresh directory for one test, removed with everything in it at the end.
final class TemporaryDirectory {
    let path: String

    init() throws {
        var template = Array((NSTemporaryDirectory() + "/credential-files-test-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        path = String(cString: made)
    }

    func file(_ relativePath: String) -> String { path + "/" + relativePath }

    /// The permission bits of a file or directory.
    func mode(of path: String) -> mode_t {
        var status = stat()
        return stat(path, &status) == 0 ? status.st_mode & 0o7777 : 0
    }

    func inode(of path: String) -> ino_t {
        var status = stat()
        return stat(path, &status) == 0 ? status.st_ino : 0
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}
