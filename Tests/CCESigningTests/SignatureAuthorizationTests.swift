import CCESigning
import Testing

/// Parsing of the `Authorization` header a server receives.
struct SignatureAuthorizationTests {
    private static let signature = String(repeating: "ab", count: 32)

    @Test func parsesWhatItWrites() throws {
        let written = SignatureAuthorization(
            accessKey: "AKEXAMPLE",
            signedHeaders: ["host", "x-sdk-date"],
            signature: Self.signature
        )
        #expect(try SignatureAuthorization(parsing: written.headerValue) == written)
    }

    @Test func acceptsPartsInAnyOrderAndLooseSpacing() throws {
        let parsed = try SignatureAuthorization(
            parsing: "SDK-HMAC-SHA256 Signature=\(Self.signature),SignedHeaders=host;x-sdk-date ,  Access=AK"
        )
        #expect(parsed.accessKey == "AK")
        #expect(parsed.signedHeaders == ["host", "x-sdk-date"])
        #expect(parsed.signature == Self.signature)
    }

    @Test(arguments: [
        "SDK-HMAC-SHA256",
        "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host",
        "SDK-HMAC-SHA256 Access=AK, Access=AK, SignedHeaders=host, Signature=\(signature)",
        "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=\(signature), Extra=1",
        "SDK-HMAC-SHA256 Access=, SignedHeaders=host, Signature=\(signature)",
        "SDK-HMAC-SHA256 Access=AK, SignedHeaders=, Signature=\(signature)",
        "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=abc",
        "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=\(String(repeating: "zz", count: 32))",
        "SDK-HMAC-SHA256 Access=AK, SignedHeaders host, Signature=\(signature)",
    ])
    func rejectsMalformedValues(_ value: String) {
        let error = #expect(throws: SignatureVerificationError.self) { try SignatureAuthorization(parsing: value) }
        guard case .malformedAuthorization = error else {
            Issue.record("expected a malformed Authorization error, got \(String(describing: error))")
            return
        }
    }

    @Test func namesAnotherAlgorithmAsUnsupported() {
        #expect(throws: SignatureVerificationError.unsupportedAlgorithm("V11-HMAC-SHA256")) {
            try SignatureAuthorization(parsing: "V11-HMAC-SHA256 Credential=AK/20240101/cn-north-4/cce")
        }
    }
}
