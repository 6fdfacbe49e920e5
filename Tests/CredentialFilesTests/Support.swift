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
