import Crypto
import NIOSSL
import SwiftASN1
import X509

/// A certificate and its private key, as a TLS server presents them.
struct TLSIdentity: Sendable {
    let certificate: Certificate
    let privateKey: P256.Signing.PrivateKey

    /// A TLS server configuration presenting this identity. With `clientCertificateIssuer`,
    /// clients must present a certificate issued by it, or the handshake fails.
    func serverConfiguration(clientCertificateIssuer: Certificate? = nil) throws -> TLSConfiguration {
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        let chain: [NIOSSLCertificateSource] = [.certificate(try NIOSSLCertificate(bytes: serializer.serializedBytes, format: .der))]
        let key = NIOSSLPrivateKeySource.privateKey(try NIOSSLPrivateKey(bytes: Array(privateKey.pemRepresentation.utf8), format: .pem))
        guard let clientCertificateIssuer else {
            return TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: key)
        }
        var issuerSerializer = DER.Serializer()
        try issuerSerializer.serialize(clientCertificateIssuer)
        let issuer = try NIOSSLCertificate(bytes: issuerSerializer.serializedBytes, format: .der)
        return TLSConfiguration.makeServerConfigurationWithMTLS(
            certificateChain: chain,
            privateKey: key,
            trustRoots: .certificates([issuer])
        )
    }
}
