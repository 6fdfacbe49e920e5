import NIOSSL
import TestSupport

/// A CA made for one test run and a server certificate it signs, for TLS on 127.0.0.1.
struct TestPKI {
    /// The CA certificate in PEM, for a `ca_file`.
    let caPEM: String
    /// The server's TLS configuration: its certificate (for 127.0.0.1 and `dnsNames`) and key.
    let serverTLS: TLSConfiguration

    init(dnsNames: [String] = []) throws {
        let authority = try TestAuthority()
        let server = try authority.serverCertificate(dnsNames: dnsNames)
        caPEM = authority.certificatePEM
        serverTLS = TLSConfiguration.makeServerConfiguration(
            certificateChain: [.certificate(try NIOSSLCertificate(bytes: Array(server.certificatePEM.utf8), format: .pem))],
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(server.privateKeyPEM.utf8), format: .pem))
        )
    }
}
