/// The value of an SDK-HMAC-SHA256 `Authorization` header:
/// `SDK-HMAC-SHA256 Access=<AK>, SignedHeaders=<h1;h2>, Signature=<64 hex>`.
///
/// `description` masks the access key and leaves the signature out.
package struct SignatureAuthorization: Sendable, Hashable, CustomStringConvertible {
    /// The algorithm name that opens the header and the string to sign.
    package static let algorithm = "SDK-HMAC-SHA256"

    /// The access key (AK) that signed the request.
    package var accessKey: String
    /// The header names the signature covers, in signing order.
    package var signedHeaders: [String]
    /// Lower-case hex HMAC-SHA256 of the string to sign.
    package var signature: String

    package init(accessKey: String, signedHeaders: [String], signature: String) {
        self.accessKey = accessKey
        self.signedHeaders = signedHeaders
        self.signature = signature
    }

    /// Parses a received header value. The three parts may come in any order, each once,
    /// separated by commas with optional spaces; the signature must be 64 hex digits.
    package init(parsing value: String) throws(SignatureVerificationError) {
        let trimmedValue = value.drop { $0 == " " }
        guard let space = trimmedValue.firstIndex(of: " ") else {
            throw .malformedAuthorization(reason: "it has no credentials after the algorithm name")
        }
        let algorithm = trimmedValue[..<space]
        guard algorithm == Self.algorithm else {
            throw .unsupportedAlgorithm(String(algorithm.prefix(40)))
        }
        var parts: [Substring: Substring] = [:]
        for part in trimmedValue[space...].split(separator: ",") {
            let pair = part.trimmingSpaces.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard pair.count == 2, parts.updateValue(pair[1], forKey: pair[0]) == nil else {
                throw .malformedAuthorization(reason: "a part is not a single key=value pair")
            }
        }
        guard parts.count == 3, let access = parts["Access"], let signed = parts["SignedHeaders"],
            let signature = parts["Signature"]
        else {
            throw .malformedAuthorization(reason: "it does not have exactly Access, SignedHeaders and Signature")
        }
        guard !access.isEmpty else {
            throw .malformedAuthorization(reason: "its access key is empty")
        }
        guard !signed.isEmpty else {
            throw .malformedAuthorization(reason: "its signed header list is empty")
        }
        guard signature.utf8.count == 64, Hex.decode(signature) != nil else {
            throw .malformedAuthorization(reason: "its signature is not 64 hex digits")
        }
        self.init(
            accessKey: String(access),
            signedHeaders: signed.split(separator: ";", omittingEmptySubsequences: false).map(String.init),
            signature: String(signature)
        )
    }

    /// The header value, with exactly `", "` between the parts as the SDK writes it.
    package var headerValue: String {
        let headers = signedHeaders.joined(separator: ";")
        return "\(Self.algorithm) Access=\(accessKey), SignedHeaders=\(headers), Signature=\(signature)"
    }

    package var description: String {
        let headers = signedHeaders.joined(separator: ";")
        return "\(Self.algorithm) Access=\(AccessKeyCredential.mask(accessKey)), SignedHeaders=\(headers)"
    }
}

extension Substring {
    fileprivate var trimmingSpaces: Substring {
        guard let first = firstIndex(where: { $0 != " " }), let last = lastIndex(where: { $0 != " " }) else {
            return ""
        }
        return self[first...last]
    }
}
