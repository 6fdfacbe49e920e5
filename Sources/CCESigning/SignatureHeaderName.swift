/// The header names SDK-HMAC-SHA256 reads or writes, spelled as the SDK sends them.
package enum SignatureHeaderName {
    /// `SDK-HMAC-SHA256 Access=…, SignedHeaders=…, Signature=…`.
    package static let authorization = "Authorization"
    /// The signing time, ``SignatureDate``; always signed.
    package static let date = "X-Sdk-Date"
    /// The authority the request is addressed to, port included when the URL has one.
    package static let host = "Host"
    /// The project of the credential, signed like any other header.
    package static let projectID = "X-Project-Id"
    /// The security token of a temporary AK/SK, signed like any other header.
    package static let securityToken = "X-Security-Token"
    /// Replaces the body hash in the canonical request; the SDK sets `UNSIGNED-PAYLOAD` for
    /// bodies that are neither JSON nor BSON.
    package static let contentSHA256 = "X-Sdk-Content-Sha256"
    /// Decides whether the body is hashed or sent as `UNSIGNED-PAYLOAD`.
    package static let contentType = "Content-Type"
}
