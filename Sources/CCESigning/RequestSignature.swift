/// What ``RequestSigner`` produced for one request.
///
/// The `description` is the signed-header summary only: the signature and any security token
/// stay out of logs.
package struct RequestSignature: Sendable, Hashable, CustomStringConvertible {
    /// The headers to set on the request, each replacing any header of the same name:
    /// `X-Sdk-Date` and `Authorization` always; `X-Project-Id`, `X-Security-Token`,
    /// `X-Sdk-Content-Sha256` and `Host` when they apply.
    package let headers: [SignableRequest.Header]
    /// The input request with ``headers`` set: what goes on the wire.
    package let request: SignableRequest
    /// The signing time, as sent in `X-Sdk-Date`.
    package let date: SignatureDate
    /// The canonical request that was hashed, for debugging a signature the server rejects.
    package let canonicalRequest: CanonicalRequest
    /// The text that was HMAC'd.
    package let stringToSign: String
    /// The `Authorization` header.
    package let authorization: SignatureAuthorization

    package var description: String {
        "RequestSignature(\(authorization), date: \(date))"
    }
}
