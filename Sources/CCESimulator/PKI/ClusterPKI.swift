import Synchronization
import X509
import _CryptoExtras

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One cluster's certificates: its CA, its API server's identity, and the client credentials
/// handed out in cluster-certificate answers.
final class ClusterPKI: Sendable {
    /// The cluster CA: it signs the API server's certificate and every client certificate,
    /// and the API server trusts client certificates from it alone.
    let authority: CertificateAuthority
    /// ``authority`` as PEM, for `certificate-authority-data`.
    let authorityPEM: String
    /// The API server's certificate names the IP address 127.0.0.1 only, so the external
    /// endpoint (127.0.0.2) verifies only with `insecure-skip-tls-verify` or a
    /// `tls-server-name` of 127.0.0.1, as the EIP endpoint of a real cluster does.
    let apiServerIdentity: TLSIdentity

    /// The RSA client key, generated on first use and then shared by every certificate issued
    /// for this cluster.
    ///
    /// CCE makes a new key for each request. Generating an RSA-2048 key takes a noticeable
    /// fraction of a second (more in a debug build), which would slow every renewal in a test;
    /// a client sees a fresh certificate either way. The task is shared so that concurrent
    /// first requests wait for one generation.
    private let clientKey = Mutex<Task<_RSA.Signing.PrivateKey, any Error>?>(nil)

    init(clusterID: String, now: Date) throws {
        authority = try CertificateAuthority(commonName: "cluster \(clusterID)", now: now)
        authorityPEM = try authority.pem()
        apiServerIdentity = try authority.issueServerIdentity(
            commonName: "kube-apiserver",
            ipAddresses: [[127, 0, 0, 1]],
            now: now
        )
    }

    /// A client certificate for the cluster's administrators (`O=system:masters`) and its key,
    /// the key in PKCS#1 PEM (`BEGIN RSA PRIVATE KEY`) as CCE writes it.
    func issueClientCredential(notBefore: Date, notAfter: Date) async throws -> ClientCredential {
        let task = clientKey.withLock { task in
            if let task { return task }
            let generation = Task { try _RSA.Signing.PrivateKey(keySize: .bits2048) }
            task = generation
            return generation
        }
        let key = try await task.value
        let certificate = try authority.issueClientCertificate(
            publicKey: Certificate.PublicKey(key.publicKey),
            commonName: "cce-user",
            organization: "system:masters",
            notBefore: notBefore,
            notAfter: notAfter
        )
        return ClientCredential(certificatePEM: try certificate.serializeAsPEM().pemString, privateKeyPEM: key.pemRepresentation)
    }
}

/// A client certificate and its private key, both PEM.
struct ClientCredential: Sendable {
    var certificatePEM: String
    var privateKeyPEM: String
}
