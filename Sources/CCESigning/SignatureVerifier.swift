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

/// Checks SDK-HMAC-SHA256 signatures the way the API gateway does, for a server standing in
/// for Huawei Cloud.
///
/// Pure like ``RequestSigner``: the server's clock is an argument. Looking up the secret key
/// for an access key, and throttling failures (the real gateway locks an AK for 5 minutes
/// after 5 failures), are the caller's business; use ``SignatureAuthorization/init(parsing:)``
/// to learn the access key first.
package struct SignatureVerifier: Sendable {
    /// How far `X-Sdk-Date` may be from the server's clock, either way: 15 minutes at the gateway.
    package var allowedClockSkew: Duration

    package init(allowedClockSkew: Duration = .seconds(15 * 60)) {
        self.allowedClockSkew = allowedClockSkew
    }

    /// Verifies the signature of a received request: the method, raw path, query, the headers
    /// named in `SignedHeaders` as received, and the raw body bytes.
    ///
    /// The date is checked before the signature, so a client with a wrong clock learns that
    /// rather than "bad signature". The signature is compared in constant time.
    ///
    /// - Returns: The parsed `Authorization` header of the accepted request.
    package func verify(
        _ request: SignableRequest,
        secretKey: String,
        now: Date
    ) throws(SignatureVerificationError) -> SignatureAuthorization {
        guard let header = request.headerValue(SignatureHeaderName.authorization) else {
            throw .missingAuthorization
        }
        let authorization = try SignatureAuthorization(parsing: header)
        guard let dateText = request.headerValue(SignatureHeaderName.date) else {
            throw .missingDate
        }
        guard let date = SignatureDate(parsing: CanonicalRequest.trimmed(dateText)) else {
            throw .malformedDate
        }
        guard authorization.signedHeaders.contains(where: { $0.lowercased() == "x-sdk-date" }) else {
            throw .dateNotSigned
        }
        let skew = abs(now.timeIntervalSince(date.date))
        let allowed = allowedClockSkew.seconds
        guard skew <= allowed else {
            throw .dateSkewed(date: date, skewSeconds: Int(skew.rounded(.down)), allowedSeconds: Int(allowed))
        }

        let canonicalRequest = try CanonicalRequest(verifying: request, signedHeaders: authorization.signedHeaders)
        let stringToSign = canonicalRequest.stringToSign(date: date)
        // `SignatureAuthorization` has already checked that the signature is 64 hex digits.
        let received = Hex.decode(authorization.signature) ?? []
        guard
            HMAC<SHA256>.isValidAuthenticationCode(
                received,
                authenticating: Array(stringToSign.utf8),
                using: RequestSigner.key(secretKey)
            )
        else {
            throw .signatureMismatch(accessKey: authorization.accessKey)
        }
        return authorization
    }
}

extension Duration {
    /// The duration in seconds, fractions included.
    fileprivate var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
