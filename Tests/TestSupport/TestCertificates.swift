import Crypto
import Foundation
import SwiftASN1
import X509

/// Certificates made per test run with swift-certificates: nothing secret is committed, and every
/// validity a test needs can be had exactly.
package enum TestCertificates {
    /// A self-signed P-256 certificate valid exactly from `notBefore` to `notAfter`, in PEM.
    package static func selfSignedPEM(commonName: String, notBefore: Date, notAfter: Date) throws -> String {
        try selfSignedPair(commonName: commonName, notBefore: notBefore, notAfter: notAfter).certificatePEM
    }

    /// The same certificate with its private key, both in PEM: a client's pair.
    package static func selfSignedPair(commonName: String, notBefore: Date, notAfter: Date) throws -> (
        certificatePEM: String, privateKeyPEM: String
    ) {
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName { CommonName(commonName) }
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: Certificate.PublicKey(key.publicKey),
            notValidBefore: notBefore,
            notValidAfter: notAfter,
            issuer: name,
            subject: name,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: Certificate.Extensions(),
            issuerPrivateKey: Certificate.PrivateKey(key)
        )
        return (try certificate.serializeAsPEM().pemString, key.pemRepresentation)
    }
}

/// A certificate authority made for one test run, and the server certificates it signs, valid
/// from an hour before `now` to an hour after it.
package struct TestAuthority: Sendable {
    /// The CA certificate in PEM, for a `ca_file` or a trust root.
    package let certificatePEM: String
    private let key: P256.Signing.PrivateKey
    private let name: DistinguishedName
    private let now: Date

    package init(commonName: String = "cce-kubeconfigd test CA", now: Date = Date()) throws {
        key = P256.Signing.PrivateKey()
        name = try DistinguishedName { CommonName(commonName) }
        self.now = now
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: Certificate.PublicKey(key.publicKey),
            notValidBefore: now - 3600,
            notValidAfter: now + 3600,
            issuer: name,
            subject: name,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true))
            },
            issuerPrivateKey: Certificate.PrivateKey(key)
        )
        certificatePEM = try certificate.serializeAsPEM().pemString
    }

    /// A server certificate for 127.0.0.1 and `dnsNames`, and its private key, both in PEM.
    package func serverCertificate(dnsNames: [String] = []) throws -> (certificatePEM: String, privateKeyPEM: String) {
        let serverKey = P256.Signing.PrivateKey()
        let names = [GeneralName.ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1]))] + dnsNames.map(GeneralName.dnsName)
        let server = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: Certificate.PublicKey(serverKey.publicKey),
            notValidBefore: now - 3600,
            notValidAfter: now + 3600,
            issuer: name,
            subject: try DistinguishedName { CommonName("127.0.0.1") },
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                SubjectAlternativeNames(names)
                try ExtendedKeyUsage([.serverAuth])
            },
            issuerPrivateKey: Certificate.PrivateKey(key)
        )
        return (try server.serializeAsPEM().pemString, serverKey.pemRepresentation)
    }
}
