/// Why a server rejected an SDK-HMAC-SHA256 signed request.
///
/// Descriptions are one sentence meant for logs: they never carry a secret key, a security
/// token or a signature, and show an access key only masked. Whether the access key is known
/// is the caller's question, answered before it has a secret key to verify with.
package enum SignatureVerificationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The request has no `Authorization` header.
    case missingAuthorization
    /// The `Authorization` header is not `SDK-HMAC-SHA256 Access=…, SignedHeaders=…, Signature=…`.
    case malformedAuthorization(reason: String)
    /// The `Authorization` header names another algorithm (at most 40 characters of it kept).
    case unsupportedAlgorithm(String)
    /// The request has no `X-Sdk-Date` header.
    case missingDate
    /// The `X-Sdk-Date` header is not `yyyyMMdd'T'HHmmss'Z'`.
    case malformedDate
    /// `SignedHeaders` does not include `x-sdk-date`, so the date could be replayed at will.
    case dateNotSigned
    /// A header listed in `SignedHeaders` is not in the request.
    case missingSignedHeader(String)
    /// `X-Sdk-Date` is further from the server's clock than allowed.
    case dateSkewed(date: SignatureDate, skewSeconds: Int, allowedSeconds: Int)
    /// The recomputed signature differs: wrong secret key, or the request changed after signing.
    case signatureMismatch(accessKey: String)

    package var description: String {
        switch self {
        case .missingAuthorization:
            "The request has no Authorization header."
        case .malformedAuthorization(let reason):
            "The Authorization header is malformed: \(reason)."
        case .unsupportedAlgorithm(let algorithm):
            "The Authorization header uses the unsupported algorithm \"\(algorithm)\"."
        case .missingDate:
            "The request has no X-Sdk-Date header."
        case .malformedDate:
            "The X-Sdk-Date header is not a UTC time written yyyyMMdd'T'HHmmss'Z'."
        case .dateNotSigned:
            "The signature does not cover the X-Sdk-Date header."
        case .missingSignedHeader(let name):
            "The signed header \"\(name)\" is missing from the request."
        case .dateSkewed(let date, let skewSeconds, let allowedSeconds):
            "The X-Sdk-Date \(date) is \(skewSeconds) seconds from the server time, "
                + "more than the \(allowedSeconds) allowed."
        case .signatureMismatch(let accessKey):
            "The signature of the request made with access key \(AccessKeyCredential.mask(accessKey)) does not match."
        }
    }
}
