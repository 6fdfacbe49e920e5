/// What ``RequestSigner`` produced for one request.
///
/// The `description` is the signed-header summary only: the signature and any security token
/// stay out of logs.
public struct RequestSignature: Sendable, Hashable, CustomStringConvertible {
    /// The headers to set on the request, each replacing any header of the same name:
    /// `X-Sdk-Date` and `Authorization` always; `X-Project-Id`, `X-Security-Token`,
    /// `X-Sdk-Content-Sha256` and `Host` when they apply.
    public let headers: [SignableRequest.Header]
    /// The input request with ``headers`` set: what goes on the wire.
    public let request: SignableRequest
    /// The signing time, as sent in `X-Sdk-Date`.
    public let date: SignatureDate
    /// The canonical request that was hashed, for debugging a signature the server rejects.
    public let canonicalRequest: CanonicalRequest
    /// The text that was HMAC'd.
    public let stringToSign: String
    /// The `Authorization` header.
    public let authorization: SignatureAuthorization

    public var description: String {
        "RequestSignature(\(authorization), date: \(date))"
    }
}
