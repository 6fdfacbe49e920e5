import CCESigning
import Foundation
import Testing

/// One request signed by the official Python SDK, from `Vectors/sdk-vectors.json`
/// (written by `Vectors/generate_vectors.py`).
struct SDKVector: Decodable, Sendable, CustomTestStringConvertible {
    struct Expected: Decodable, Sendable {
        let canonicalRequest: String
        let stringToSign: String
        let authorization: String
        let signedHeaders: [String]
        /// Every header the SDK sends, in its order.
        let headers: [[String]]
        /// The path and canonical query the SDK puts on the request line.
        let requestTarget: String
    }

    let name: String
    let method: String
    /// The URL as a caller writes it: query unsorted, some reserved characters raw.
    let url: String
    let host: String
    let path: String
    let query: [[String]]
    /// The caller's headers, before signing.
    let headers: [[String]]
    let body: String
    let accessKey: String
    let secretKey: String
    let securityToken: String?
    let projectId: String?
    let sdkDate: String
    let expected: Expected

    var testDescription: String { name }

    var credential: AccessKeyCredential {
        AccessKeyCredential(
            accessKey: accessKey,
            secretKey: secretKey,
            securityToken: securityToken,
            projectID: projectId
        )
    }

    var date: Date {
        get throws { try #require(SignatureDate(parsing: sdkDate)).date }
    }

    var callerHeaders: [SignableRequest.Header] {
        headers.map { SignableRequest.Header(name: $0[0], value: $0[1]) }
    }

    /// The request as the simulator would receive it from the SDK.
    var receivedRequest: SignableRequest {
        SignableRequest(
            method: method,
            host: host,
            target: expected.requestTarget,
            headers: expected.headers.map { SignableRequest.Header(name: $0[0], value: $0[1]) },
            body: Array(body.utf8)
        )
    }

    /// All vectors, read from next to this file so the test needs no bundle resources.
    static func all(filePath: String = #filePath) throws -> [SDKVector] {
        struct Document: Decodable {
            let vectors: [SDKVector]
        }
        let file = URL(fileURLWithPath: filePath).deletingLastPathComponent()
            .appendingPathComponent("Vectors/sdk-vectors.json")
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(Document.self, from: Data(contentsOf: file)).vectors
    }
}
