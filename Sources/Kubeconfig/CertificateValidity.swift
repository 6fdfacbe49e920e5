#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import X509

/// When a certificate starts and stops being valid: what the renewal policy and `list` need.
public struct CertificateValidity: Sendable, Hashable {
    public var notBefore: Date
    public var notAfter: Date

    public init(notBefore: Date, notAfter: Date) {
        self.notBefore = notBefore
        self.notAfter = notAfter
    }

    /// Reads the validity of the first certificate in a PEM text.
    public init(pem: String) throws {
        let certificate = try Certificate(pemEncoded: pem)
        self.init(notBefore: certificate.notValidBefore, notAfter: certificate.notValidAfter)
    }

    /// Reads the validity from base64 of a PEM text, as kubeconfig `*-data` fields hold it; `nil` if it is not one.
    public init?(base64PEM: String) {
        guard
            let decoded = Data(base64Encoded: base64PEM, options: .ignoreUnknownCharacters),
            let pem = String(data: decoded, encoding: .utf8),
            let validity = try? CertificateValidity(pem: pem)
        else { return nil }
        self = validity
    }

    /// `notAfter - notBefore`.
    public var lifetime: TimeInterval { notAfter.timeIntervalSince(notBefore) }
}
