import X509

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// When a certificate starts and stops being valid: what the renewal policy and `list` need.
package struct CertificateValidity: Sendable, Hashable {
    package var notBefore: Date
    package var notAfter: Date

    package init(notBefore: Date, notAfter: Date) {
        self.notBefore = notBefore
        self.notAfter = notAfter
    }

    /// Reads the validity of the first certificate in a PEM text.
    package init(pem: String) throws {
        let certificate = try Certificate(pemEncoded: pem)
        self.init(notBefore: certificate.notValidBefore, notAfter: certificate.notValidAfter)
    }

    /// Reads the validity from base64 of a PEM text, as kubeconfig `*-data` fields hold it; `nil` if it is not one.
    package init?(base64PEM: String) {
        guard
            let decoded = Data(base64Encoded: base64PEM, options: .ignoreUnknownCharacters),
            let pem = String(data: decoded, encoding: .utf8),
            let validity = try? CertificateValidity(pem: pem)
        else { return nil }
        self = validity
    }

    /// `notAfter - notBefore`.
    package var lifetime: TimeInterval { notAfter.timeIntervalSince(notBefore) }
}
