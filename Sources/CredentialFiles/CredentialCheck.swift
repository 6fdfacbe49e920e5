import Kubeconfig
import SwiftASN1
import X509

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What is wrong with a certificate and key pair, whether read from the credential files or about
/// to be written to them.
package enum CredentialProblem: Error, Sendable, Hashable {
    /// The certificate is not a PEM certificate (truncated, damaged, or something else).
    case unreadableCertificate
    /// The key is not a PEM private key (truncated, damaged, or something else).
    case unreadableKey
    /// The key is a valid key, but not the one the certificate was issued for.
    case keyDoesNotMatch
    /// The certificate stopped being valid at `notAfter`.
    case expired(notAfter: Date)
}

/// Checks a certificate and key pair: both parse, the key is the certificate's, and (when a time
/// is given) the certificate has not expired. Pure: values in, the validity or the problem out.
package enum CredentialCheck {
    /// The certificate's validity when the pair is sound.
    ///
    /// - Parameter now: `nil` skips the expiry check (reading: an expired pair is usable to
    ///   decide that it must be renewed, not garbage).
    package static func validate(_ credential: ClientCredential, now: Date?) throws(CredentialProblem) -> CertificateValidity {
        let certificate: Certificate
        do {
            certificate = try Certificate(pemEncoded: String(decoding: credential.certificatePEM, as: UTF8.self))
        } catch {
            throw .unreadableCertificate
        }
        let key: Certificate.PrivateKey
        do {
            key = try Certificate.PrivateKey(pemEncoded: String(decoding: credential.privateKeyPEM, as: UTF8.self))
        } catch {
            throw .unreadableKey
        }
        guard key.publicKey == certificate.publicKey else { throw .keyDoesNotMatch }
        let validity = CertificateValidity(notBefore: certificate.notValidBefore, notAfter: certificate.notValidAfter)
        if let now, validity.notAfter <= now { throw .expired(notAfter: validity.notAfter) }
        return validity
    }
}
