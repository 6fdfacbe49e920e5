import Foundation
import Kubeconfig
import Testing

@testable import CredentialFiles

/// What `credential N` prints: an ExecCredential client-go accepts, expiring just before the certificate.
@Suite struct ExecCredentialTests {
    private let notBefore = Date(timeIntervalSince1970: 1_780_000_000)

    @Test func longCertificateExpiresFiveMinutesEarly() {
        let validity = CertificateValidity(notBefore: notBefore, notAfter: notBefore + 7 * 86_400)
        #expect(ExecCredential.expiration(of: validity) == notBefore + 7 * 86_400 - 300)
    }

    @Test func shortCertificateExpiresATenthOfItsLifetimeEarly() {
        let validity = CertificateValidity(notBefore: notBefore, notAfter: notBefore + 600)
        #expect(ExecCredential.expiration(of: validity) == notBefore + 540)
    }

    @Test func certificateIsUsableOnlyBeforeTheExpiration() {
        let validity = CertificateValidity(notBefore: notBefore, notAfter: notBefore + 600)
        #expect(ExecCredential.isUsable(validity, at: notBefore + 539))
        #expect(!ExecCredential.isUsable(validity, at: notBefore + 540))
    }

    @Test func jsonIsAnExecCredentialWithThePEMTextsAndTheExpiration() throws {
        let pair = try TestPairs.client()
        let answer = ExecCredential(
            credential: pair,
            validity: CertificateValidity(notBefore: notBefore, notAfter: TestPairs.clientNotAfter)
        )
        let object = try #require(try JSONSerialization.jsonObject(with: Data(answer.json)) as? [String: Any])
        #expect(object["apiVersion"] as? String == "client.authentication.k8s.io/v1")
        #expect(object["kind"] as? String == "ExecCredential")
        let status = try #require(object["status"] as? [String: Any])
        #expect(status["clientCertificateData"] as? String == String(decoding: pair.certificatePEM, as: UTF8.self))
        #expect(status["clientKeyData"] as? String == String(decoding: pair.privateKeyPEM, as: UTF8.self))
        #expect(status["expirationTimestamp"] as? String == "2035-12-31T23:55:00Z")
    }

    @Test func quotingEscapesWhatJSONRequires() {
        #expect(ExecCredential.quoted(Array("a\"b\\c\nd\u{1}".utf8)) == #""a\"b\\c\nd\u0001""#)
    }
}
