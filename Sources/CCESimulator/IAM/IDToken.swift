import Crypto
import _CryptoExtras

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Checks an OpenID Connect id token (a JWT) as IAM does before a federated login: the signature
/// with the identity provider's public key (ES256 or RS256), then `iss`, `aud`, `exp` and `nbf`.
struct IDTokenVerifier: Sendable {
    /// The identity provider's signing key.
    enum PublicKey: Sendable {
        case p256(P256.Signing.PublicKey)
        case rsa(_RSA.Signing.PublicKey)

        /// `nil` for a PEM that is neither a P-256 nor an RSA public key.
        init?(pem: String) {
            if let key = try? P256.Signing.PublicKey(pemRepresentation: pem) {
                self = .p256(key)
            } else if let key = try? _RSA.Signing.PublicKey(pemRepresentation: pem) {
                self = .rsa(key)
            } else {
                return nil
            }
        }
    }

    /// Why a token was refused; each is one sentence that quotes nothing from the token.
    enum Refusal: Error, Sendable, Hashable, CustomStringConvertible {
        case notAJWT
        case unsupportedAlgorithm
        case badSignature
        case wrongIssuer
        case wrongAudience
        case expired
        case notYetValid
        case noSubject

        var description: String {
            switch self {
            case .notAJWT: "The id token is not a signed JWT."
            case .unsupportedAlgorithm: "The id token is signed with an algorithm the identity provider does not use."
            case .badSignature: "The id token's signature does not verify with the identity provider's key."
            case .wrongIssuer: "The id token's issuer is not the identity provider's."
            case .wrongAudience: "The id token's audience does not include the identity provider's client id."
            case .expired: "The id token has expired."
            case .notYetValid: "The id token is not valid yet."
            case .noSubject: "The id token has no subject."
            }
        }
    }

    /// What IAM takes from an accepted token.
    struct Claims: Sendable, Hashable {
        var subject: String
    }

    /// The JOSE header: only the algorithm matters here.
    private struct Header: Decodable {
        var alg: String
    }

    /// The claims IAM checks; times in seconds since 1970.
    private struct Payload: Decodable {
        var iss: String?
        var aud: Audience?
        var exp: Double?
        var nbf: Double?
        var sub: String?
    }

    /// `aud`: one string or a list of them.
    private struct Audience: Decodable {
        var values: [String]

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let one = try? container.decode(String.self) {
                values = [one]
            } else {
                values = try container.decode([String].self)
            }
        }
    }

    let provider: IdentityProvider

    func verify(_ token: String, now: Date) throws(Refusal) -> Claims {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3,
            let headerBytes = Self.base64URLDecode(parts[0]),
            let payloadBytes = Self.base64URLDecode(parts[1]),
            let signature = Self.base64URLDecode(parts[2]),
            let header = try? JSONDecoder().decode(Header.self, from: headerBytes),
            let claims = try? JSONDecoder().decode(Payload.self, from: payloadBytes)
        else { throw .notAJWT }
        let signed = Data((parts[0] + "." + parts[1]).utf8)
        guard let key = PublicKey(pem: provider.publicKeyPEM) else { throw .badSignature }
        switch (header.alg, key) {
        case ("ES256", .p256(let key)):
            guard let ecdsa = try? P256.Signing.ECDSASignature(rawRepresentation: signature), key.isValidSignature(ecdsa, for: signed)
            else {
                throw .badSignature
            }
        case ("RS256", .rsa(let key)):
            let rsa = _RSA.Signing.RSASignature(rawRepresentation: signature)
            guard key.isValidSignature(rsa, for: SHA256.hash(data: signed), padding: _RSA.Signing.Padding.insecurePKCS1v1_5) else {
                throw .badSignature
            }
        default:
            throw .unsupportedAlgorithm
        }
        guard claims.iss == provider.issuer else { throw .wrongIssuer }
        guard claims.aud?.values.contains(provider.clientID) == true else { throw .wrongAudience }
        guard let expiry = claims.exp, Date(timeIntervalSince1970: expiry) > now else { throw .expired }
        if let notBefore = claims.nbf, Date(timeIntervalSince1970: notBefore) > now {
            throw .notYetValid
        }
        guard let subject = claims.sub, !subject.isEmpty else { throw .noSubject }
        return Claims(subject: subject)
    }

    static func base64URLDecode(_ text: Substring) -> Data? {
        var base64 = text.replacing("-", with: "+").replacing("_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: String(base64))
    }
}

/// A stand-in for a CI system's OpenID Connect provider: it signs id tokens (ES256) that the
/// simulator's IAM accepts when an ``IdentityProvider`` has its ``publicKeyPEM``. For tests and
/// the demo, which need id tokens without a real provider.
package struct IDTokenSigner: Sendable {
    private let key: P256.Signing.PrivateKey

    package init() {
        key = P256.Signing.PrivateKey()
    }

    /// The public key, for ``IdentityProvider/publicKeyPEM``.
    package var publicKeyPEM: String {
        key.publicKey.pemRepresentation
    }

    /// A signed id token (`header.payload.signature`, base64url) with these claims.
    package func sign(issuer: String, audience: String, subject: String, issuedAt: Date, expiresAt: Date) -> String {
        let header = #"{"alg":"ES256","typ":"JWT"}"#
        let payload = JSONValue.object([
            ("iss", .string(issuer)), ("aud", .string(audience)), ("sub", .string(subject)),
            ("iat", .integer(Int(issuedAt.timeIntervalSince1970))), ("exp", .integer(Int(expiresAt.timeIntervalSince1970))),
        ])
        let signingInput = Self.base64URL(Data(header.utf8)) + "." + Self.base64URL(Data(payload.bytes))
        let signature = (try? key.signature(for: Data(signingInput.utf8)))?.rawRepresentation ?? Data()
        return signingInput + "." + Self.base64URL(signature)
    }

    private static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacing("+", with: "-").replacing("/", with: "_").replacing("=", with: "")
    }
}

extension IDTokenSigner: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    package var description: String { "IDTokenSigner(<private key redacted>)" }
    package var debugDescription: String { description }
    package var customMirror: Mirror { Mirror(self, children: ["description": description]) }
}
