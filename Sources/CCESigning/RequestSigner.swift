import Crypto

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#endif

/// Signs requests with an AK/SK credential the way Huawei Cloud's official SDKs do
/// (`SDK-HMAC-SHA256`).
///
/// Pure: no IO, and the time is passed in, so the same inputs always give the same headers.
package struct RequestSigner: Sendable {
    /// The credential whose secret key is the HMAC key.
    package var credential: AccessKeyCredential

    package init(credential: AccessKeyCredential) {
        self.credential = credential
    }

    /// Signs `request` as of `date`.
    ///
    /// Before signing, like the SDK, it sets `X-Project-Id` and `X-Security-Token` when the
    /// credential has them, `X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD` when `Content-Type` is
    /// set and neither JSON nor BSON, `X-Sdk-Date` from `date` (replacing any given one),
    /// and `Host` from `request.host` unless a `Host` header is given. Every header whose
    /// name has no `_` is then signed; an `Authorization` header already in `request` is
    /// dropped rather than signed.
    package func sign(_ request: SignableRequest, at date: Date) -> RequestSignature {
        let signatureDate = SignatureDate(date)
        var signed = request
        var added: [SignableRequest.Header] = []
        func set(_ name: String, _ value: String) {
            signed.setHeader(name, value)
            added.append(.init(name: name, value: value))
        }

        signed.headers.removeAll { $0.name.lowercased() == SignatureHeaderName.authorization.lowercased() }
        if let projectID = credential.projectID {
            set(SignatureHeaderName.projectID, projectID)
        }
        if let securityToken = credential.securityToken {
            set(SignatureHeaderName.securityToken, securityToken)
        }
        if let contentType = signed.headerValue(SignatureHeaderName.contentType), !contentType.isEmpty,
            !contentType.hasPrefix("application/json"), !contentType.hasPrefix("application/bson")
        {
            set(SignatureHeaderName.contentSHA256, "UNSIGNED-PAYLOAD")
        }
        set(SignatureHeaderName.date, signatureDate.text)
        if signed.headerValue(SignatureHeaderName.host) == nil {
            set(SignatureHeaderName.host, request.host)
        }

        let canonicalRequest = CanonicalRequest(signing: signed)
        let stringToSign = canonicalRequest.stringToSign(date: signatureDate)
        let authorization = SignatureAuthorization(
            accessKey: credential.accessKey,
            signedHeaders: canonicalRequest.signedHeaders,
            signature: Self.signature(of: stringToSign, secretKey: credential.secretKey)
        )
        set(SignatureHeaderName.authorization, authorization.headerValue)

        return RequestSignature(
            headers: added,
            request: signed,
            date: signatureDate,
            canonicalRequest: canonicalRequest,
            stringToSign: stringToSign,
            authorization: authorization
        )
    }

    /// Lower-case hex HMAC-SHA256 of `stringToSign`, keyed with the UTF-8 bytes of the secret
    /// key as is: unlike AWS SigV4 there is no key derivation.
    static func signature(of stringToSign: String, secretKey: String) -> String {
        Hex.encode(HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: key(secretKey)))
    }

    /// The HMAC key for a secret key.
    static func key(_ secretKey: String) -> SymmetricKey {
        SymmetricKey(data: Array(secretKey.utf8))
    }
}
