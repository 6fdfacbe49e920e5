import CredentialFiles
import Foundation
import Kubeconfig
import Testing

/// The check every pair passes before it is written, and again when it is read.
@Suite struct CredentialCheckTests {
    private let now = Date(timeIntervalSince1970: 1_780_000_000)  // 2026-05-28

    @Test func matchingPairIsValidUntilTheCertificatesNotAfter() throws {
        let validity = try CredentialCheck.validate(try TestPairs.client(), now: now)
        #expect(validity.notAfter == TestPairs.clientNotAfter)
    }

    @Test func keyOfAnotherCertificateDoesNotMatch() throws {
        let mixed = ClientCredential(
            certificatePEM: try TestPairs.client().certificatePEM,
            privateKeyPEM: try TestPairs.renewed().privateKeyPEM
        )
        #expect(throws: CredentialProblem.keyDoesNotMatch) { try CredentialCheck.validate(mixed, now: now) }
    }

    @Test func truncatedKeyIsUnreadable() throws {
        var pair = try TestPairs.client()
        pair.privateKeyPEM = Array(pair.privateKeyPEM.prefix(pair.privateKeyPEM.count / 2))
        #expect(throws: CredentialProblem.unreadableKey) { try CredentialCheck.validate(pair, now: now) }
    }

    @Test func truncatedCertificateIsUnreadable() throws {
        var pair = try TestPairs.client()
        pair.certificatePEM = Array(pair.certificatePEM.prefix(200))
        #expect(throws: CredentialProblem.unreadableCertificate) { try CredentialCheck.validate(pair, now: now) }
    }

    @Test func expiredCertificateIsRefusedAtTheTimeGiven() throws {
        let pair = try TestPairs.selfSigned(notBefore: now - 7_200, notAfter: now - 60)
        #expect(throws: CredentialProblem.expired(notAfter: now - 60)) { try CredentialCheck.validate(pair, now: now) }
    }

    @Test func expiredCertificateIsSoundWithoutATime() throws {
        let pair = try TestPairs.selfSigned(notBefore: now - 7_200, notAfter: now - 60)
        #expect(try CredentialCheck.validate(pair, now: nil).notAfter == now - 60)
    }

    /// The exact text: a default description would print the key's bytes as decimal numbers,
    /// which a search for its base64 would not find.
    @Test func descriptionOfAPairHoldsNoKey() throws {
        let pair = try TestPairs.client()
        let redacted = "ClientCredential(certificate: \(pair.certificatePEM.count) bytes, key: <redacted>)"
        #expect("\(pair)" == redacted)
        #expect(String(reflecting: pair) == redacted)
        var dumped = ""
        dump(pair, to: &dumped)
        #expect(dumped == "- \(redacted)\n")
    }
}
