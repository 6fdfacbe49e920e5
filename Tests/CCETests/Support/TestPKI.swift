import Crypto
import Foundation
import NIOSSL
import SwiftASN1
import X509

/// A CA made for one test run and a server certificate it signs, for TLS on 127.0.0.1.
struct TestPKI {
    /// The CA certificate in PEM, for a `ca_file`.
    let caPEM: String
    /// The server's TLS configuration: its certificate (for 127.0.0.1 and `dnsNames`) and key.
    let serverTLS: TLSConfiguration

    init(dnsNames: [String] = []) throws {
        let now = Date()
        let caKey = P256.Signing.PrivateKey()
        let caName = try DistinguishedName { CommonName("cce-kubeconfigd test CA") }
        let ca = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: Certificate.PublicKey(caKey.publicKey),
            notValidBefore: now - 3600,
            notValidAfter: now + 3600,
            issuer: caName,
            subject: caName,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true))
            },
            issuerPrivateKey: Certificate.PrivateKey(caKey)
        )

        let serverKey = P256.Signing.PrivateKey()
        let names = [GeneralName.ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1]))] + dnsNames.map(GeneralName.dnsName)
        let server = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: Certificate.PublicKey(serverKey.publicKey),
            notValidBefore: now - 3600,
            notValidAfter: now + 3600,
            issuer: caName,
            subject: try DistinguishedName { CommonName("127.0.0.1") },
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                SubjectAlternativeNames(names)
                try ExtendedKeyUsage([.serverAuth])
            },
            issuerPrivateKey: Certificate.PrivateKey(caKey)
        )

        caPEM = try ca.serializeAsPEM().pemString
        serverTLS = TLSConfiguration.makeServerConfiguration(
            certificateChain: [.certificate(try NIOSSLCertificate(bytes: Array(try server.serializeAsPEM().pemString.utf8), format: .pem))],
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(serverKey.pemRepresentation.utf8), format: .pem))
        )
    }
}
