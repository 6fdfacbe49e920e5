import HostAddress
import Testing

/// `https://` anywhere, plain `http://` only to this machine, nothing else.
@Suite struct CredentialTransportTests {
    @Test(
        arguments: [
            ("https", "cce.cn-north-4.myhuaweicloud.com", CredentialTransport.encrypted),
            ("HTTPS", "192.0.2.1", .encrypted),
            ("http", "127.0.0.1", .plainToLoopback),
            ("HTTP", "0:0:0:0:0:0:0:1", .plainToLoopback),
            ("http", "localhost", .plainToLoopback),
            ("http", "0127.0.0.1", .plainOffMachine),
            ("http", "cce.example.com", .plainOffMachine),
            ("ftp", "127.0.0.1", .unsupportedScheme),
            ("ws", "cce.example.com", .unsupportedScheme),
        ] as [(String, String, CredentialTransport)]
    )
    func schemeAndHostDecide(scheme: String, host: String, verdict: CredentialTransport) {
        #expect(CredentialTransport(scheme: scheme, host: host) == verdict)
    }

    @Test func onlyEncryptedAndLoopbackAreAllowed() {
        #expect(CredentialTransport.encrypted.isAllowed)
        #expect(CredentialTransport.plainToLoopback.isAllowed)
        #expect(!CredentialTransport.plainOffMachine.isAllowed)
        #expect(!CredentialTransport.unsupportedScheme.isAllowed)
    }
}
