import Crypto
import SwiftASN1
import X509

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A certificate authority made at start-up: the one behind the simulator's HTTPS endpoints, or
/// one cluster's.
///
/// Its key is P-256 rather than RSA: generated in microseconds, so start-up stays fast however
/// many clusters there are. Clients only need to trust it, and every TLS stack in play accepts
/// ECDSA.
struct CertificateAuthority: Sendable {
    let certificate: Certificate
    private let privateKey: Certificate.PrivateKey
    private let keyIdentifier: ArraySlice<UInt8>

    /// A self-signed CA valid from an hour before `now` for ten years, longer than any
    /// certificate it issues.
    init(commonName: String, now: Date) throws {
        let key = P256.Signing.PrivateKey()
        let publicKey = Certificate.PublicKey(key.publicKey)
        let name = try DistinguishedName {
            OrganizationName("CCE Simulator")
            CommonName(commonName)
        }
        let keyIdentifier = SubjectKeyIdentifier(hash: publicKey).keyIdentifier
        self.privateKey = Certificate.PrivateKey(key)
        self.keyIdentifier = keyIdentifier
        self.certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: publicKey,
            notValidBefore: now - 3600,
            notValidAfter: now + 10 * 366 * 86_400,
            issuer: name,
            subject: name,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(keyIdentifier: keyIdentifier)
            },
            issuerPrivateKey: privateKey
        )
    }

    /// The CA certificate as PEM, for a `ca_file` or `certificate-authority-data`.
    func pem() throws -> String {
        try certificate.serializeAsPEM().pemString
    }

    /// A TLS server identity with a fresh P-256 key, valid for a year from an hour before `now`
    /// for the given IP addresses and DNS names (as subject alternative names, which is all
    /// that TLS clients check).
    func issueServerIdentity(commonName: String, ipAddresses: [[UInt8]], dnsNames: [String] = [], now: Date) throws -> TLSIdentity {
        let key = P256.Signing.PrivateKey()
        let names = ipAddresses.map { GeneralName.ipAddress(ASN1OctetString(contentBytes: $0[...])) } + dnsNames.map(GeneralName.dnsName)
        let certificate = try issue(
            publicKey: Certificate.PublicKey(key.publicKey),
            subject: try DistinguishedName { CommonName(commonName) },
            notBefore: now - 3600,
            notAfter: now + 366 * 86_400,
            usage: .serverAuth,
            extraExtension: SubjectAlternativeNames(names)
        )
        return TLSIdentity(certificate: certificate, privateKey: key)
    }

    /// A client certificate for `publicKey`, as a Kubernetes API server reads it: the common
    /// name is the user, each organization a group.
    func issueClientCertificate(
        publicKey: Certificate.PublicKey,
        commonName: String,
        organization: String,
        notBefore: Date,
        notAfter: Date
    ) throws -> Certificate {
        try issue(
            publicKey: publicKey,
            subject: try DistinguishedName {
                OrganizationName(organization)
                CommonName(commonName)
            },
            notBefore: notBefore,
            notAfter: notAfter,
            usage: .clientAuth,
            extraExtension: nil
        )
    }

    private func issue(
        publicKey: Certificate.PublicKey,
        subject: DistinguishedName,
        notBefore: Date,
        notAfter: Date,
        usage: ExtendedKeyUsage.Usage,
        extraExtension: SubjectAlternativeNames?
    ) throws -> Certificate {
        try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: publicKey,
            notValidBefore: notBefore,
            notValidAfter: notAfter,
            issuer: certificate.subject,
            subject: subject,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true, keyEncipherment: true))
                try ExtendedKeyUsage([usage])
                AuthorityKeyIdentifier(keyIdentifier: keyIdentifier)
                if let extraExtension {
                    extraExtension
                }
            },
            issuerPrivateKey: privateKey
        )
    }
}
