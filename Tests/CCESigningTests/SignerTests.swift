import CCESigning
import Crypto
import Foundation
import Testing

/// Known answers from Huawei's signing documentation and the official SDK (`Vectors/`), every
/// request the official SDK signed, and the verifier against the signer.
struct SignerTests {
    private static let documentationKey = AccessKeyCredential(
        accessKey: "QTWAOYTTINDUT2QVKYUC",
        secretKey: "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc"
    )
    private static let documentationURL = URL(
        string: "https://service.region.example.com/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs"
            + "?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0"
    )!
    private static let exampleProject = "0123456789abcdef0123456789abcdef"

    private static func hexSHA256(_ text: String) -> String {
        SHA256.hash(data: Array(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    private static func request(
        _ method: String,
        _ url: String,
        headers: [String: String] = [:],
        body: String = ""
    ) throws -> SignableRequest {
        let url = try #require(URL(string: url))
        return try #require(
            SignableRequest(
                method: method,
                url: url,
                headers: headers.sorted { $0.key < $1.key }.map { .init(name: $0.key, value: $0.value) },
                body: Array(body.utf8)
            )
        )
    }

    // MARK: Known answers

    @Test func signsTheDocumentationExampleByteForByte() throws {
        let request = try #require(
            SignableRequest(
                method: "GET",
                url: Self.documentationURL,
                headers: [.init(name: "Content-Type", value: "application/json")]
            )
        )
        let signature = RequestSigner(credential: Self.documentationKey)
            .sign(request, at: Date(timeIntervalSince1970: 1_573_789_015))

        #expect(
            signature.canonicalRequest.text == """
                GET
                /v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs/
                limit=2&marker=13551d6b-755d-4757-b956-536f674975c0
                content-type:application/json
                host:service.region.example.com
                x-sdk-date:20191115T033655Z

                content-type;host;x-sdk-date
                e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
                """
        )
        #expect(
            Self.hexSHA256(signature.canonicalRequest.text)
                == "b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a"
        )
        #expect(signature.authorization.signature == "7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe")
    }

    @Test func signsOnlyHostAndDateWhenNoOtherHeaderIsGiven() throws {
        let request = try #require(SignableRequest(method: "GET", url: Self.documentationURL))
        let signature = RequestSigner(credential: Self.documentationKey)
            .sign(request, at: Date(timeIntervalSince1970: 1_573_789_015))

        #expect(signature.authorization.signedHeaders == ["host", "x-sdk-date"])
        #expect(signature.authorization.signature == "faafba090046ef84c81ca330e77576d8746733ddfcf0317aaeb59cff50da39a7")
    }

    @Test func signsTheClusterCertificateRequestWithProjectID() throws {
        let request = try Self.request(
            "POST",
            "https://cce.cn-north-4.myhuaweicloud.com/api/v3/projects/\(Self.exampleProject)"
                + "/clusters/4e7a9f1c-0000-11ee-8f3a-0255ac100b03/clustercert",
            headers: ["Content-Type": "application/json"],
            body: #"{"duration":30}"#
        )
        let credential = AccessKeyCredential(
            accessKey: "AKEXAMPLE",
            secretKey: "SKEXAMPLE",
            projectID: Self.exampleProject
        )
        let signature = RequestSigner(credential: credential).sign(
            request,
            at: Date(timeIntervalSince1970: 1_704_067_200)
        )

        #expect(
            signature.canonicalRequest.text == """
                POST
                /api/v3/projects/0123456789abcdef0123456789abcdef/clusters/4e7a9f1c-0000-11ee-8f3a-0255ac100b03/clustercert/

                content-type:application/json
                host:cce.cn-north-4.myhuaweicloud.com
                x-project-id:0123456789abcdef0123456789abcdef
                x-sdk-date:20240101T000000Z

                content-type;host;x-project-id;x-sdk-date
                2157042c693f53efc7091b96dde5c7cd432bfa89b918f06b39ddc24bf4a60752
                """
        )
        #expect(
            Self.hexSHA256(signature.canonicalRequest.text)
                == "ee787412c5029f087000a3b0437bbfe407d070f34c3b37ea058f3c551e7a7ee3"
        )
        #expect(
            signature.authorization.headerValue
                == "SDK-HMAC-SHA256 Access=AKEXAMPLE, SignedHeaders=content-type;host;x-project-id;x-sdk-date, "
                + "Signature=84b167dc007c22bd1564425c9c83706f331f38975a382d18ec0de2b3d24601ae"
        )
    }

    @Test func encodesTheQueryAndSignsTheSecurityToken() throws {
        let request = SignableRequest(
            method: "GET",
            host: "iam.myhuaweicloud.com",
            path: "/v3/projects",
            query: [.init(name: "name", value: "cn-north-4"), .init(name: "a b", value: "x/y")]
        )
        let credential = AccessKeyCredential(
            accessKey: "AKEXAMPLE",
            secretKey: "SKEXAMPLE",
            securityToken: "TOKENEXAMPLE",
            projectID: Self.exampleProject
        )
        let signature = RequestSigner(credential: credential).sign(
            request,
            at: Date(timeIntervalSince1970: 1_704_067_200)
        )

        #expect(signature.canonicalRequest.query == "a%20b=x%2Fy&name=cn-north-4")
        #expect(signature.authorization.signedHeaders == ["host", "x-project-id", "x-sdk-date", "x-security-token"])
        #expect(signature.authorization.signature == "a90f5d563176c4f2dc3d53fcac694921d640e0072b0ec326919a1049946dc21d")
    }

    @Test func signsTheSwiftStackExample() throws {
        let request = try Self.request(
            "POST",
            "https://cce.ap-southeast-1.myhuaweicloud.com/api/v3/projects/p1/clusters/c1/clustercert",
            headers: ["Content-Type": "application/json"],
            body: #"{"duration":30}"#
        )
        let credential = AccessKeyCredential(accessKey: "AKEXAMPLE", secretKey: "SKEXAMPLEsecret")
        let signature = RequestSigner(credential: credential).sign(
            request,
            at: Date(timeIntervalSince1970: 1_767_225_600)
        )

        #expect(signature.authorization.signature == "9efa94e39438b5c8fd821110ae47e1f6568070d0bd979caf660cc3407f6ed234")
    }

    // MARK: The official SDK's vectors

    @Test func officialSDKVectorsCoverEveryCase() throws {
        let names = Set(try SDKVector.all().map(\.name))
        #expect(names.count >= 10)
        #expect(names.isSuperset(of: ["post_json_body", "get_query_escaping_and_repeated_keys", "non_ascii_query"]))
    }

    @Test(arguments: try SDKVector.all())
    func signsLikeTheOfficialSDK(_ vector: SDKVector) throws {
        let url = try #require(URL(string: vector.url))
        let request = try #require(
            SignableRequest(
                method: vector.method,
                url: url,
                headers: vector.callerHeaders,
                body: Array(vector.body.utf8)
            )
        )
        let signature = RequestSigner(credential: vector.credential).sign(request, at: try vector.date)

        #expect(signature.canonicalRequest.text == vector.expected.canonicalRequest)
        #expect(signature.stringToSign == vector.expected.stringToSign)
        #expect(signature.authorization.headerValue == vector.expected.authorization)
        #expect(signature.authorization.signedHeaders == vector.expected.signedHeaders)
        // The SDK also rewrites each value trimmed; an HTTP stack drops that white space anyway.
        let sent = signature.request.headers.map {
            [$0.name.lowercased(), $0.value.trimmingCharacters(in: .whitespaces)]
        }
        let expected = vector.expected.headers.map { [$0[0].lowercased(), $0[1]] }
        #expect(sent.sorted { $0[0] < $1[0] } == expected.sorted { $0[0] < $1[0] })
    }

    @Test(arguments: try SDKVector.all())
    func signsDecodedQueryParametersLikeTheOfficialSDK(_ vector: SDKVector) throws {
        let request = SignableRequest(
            method: vector.method,
            host: vector.host,
            path: vector.path,
            query: vector.query.map { .init(name: $0[0], value: $0[1]) },
            headers: vector.callerHeaders,
            body: Array(vector.body.utf8)
        )
        let signature = RequestSigner(credential: vector.credential).sign(request, at: try vector.date)

        #expect(signature.authorization.headerValue == vector.expected.authorization)
    }

    @Test(arguments: try SDKVector.all())
    func verifierAcceptsTheRequestTheOfficialSDKSends(_ vector: SDKVector) throws {
        let now = try vector.date.addingTimeInterval(14 * 60)
        let authorization = try SignatureVerifier().verify(
            vector.receivedRequest,
            secretKey: vector.secretKey,
            now: now
        )

        #expect(authorization.accessKey == vector.accessKey)
        #expect(authorization.signedHeaders == vector.expected.signedHeaders)
    }

    // MARK: What the signer adds

    @Test func returnsOnlyTheHeadersItAddsOrReplaces() throws {
        var request = try Self.request(
            "POST",
            "http://127.0.0.1:18080/api/v3/projects/p1/clusters/c1/clustercert",
            headers: [
                "Content-Type": "application/json", "Authorization": "Bearer stale", "x-sdk-date": "19990101T000000Z",
            ],
            body: "{}"
        )
        request.headers.append(.init(name: "User-Agent", value: "cce-kubeconfigd"))
        let credential = AccessKeyCredential(accessKey: "AK", secretKey: "SK", securityToken: "TOKEN", projectID: "p1")
        let signature = RequestSigner(credential: credential).sign(
            request,
            at: Date(timeIntervalSince1970: 1_704_067_200)
        )

        #expect(
            signature.headers.map(\.name) == [
                "X-Project-Id", "X-Security-Token", "X-Sdk-Date", "Host", "Authorization",
            ]
        )
        #expect(signature.headers.first { $0.name == "Host" }?.value == "127.0.0.1:18080")
        #expect(signature.request.headerValue("X-Sdk-Date") == "20240101T000000Z")
        #expect(signature.request.headers.filter { $0.name.lowercased() == "authorization" }.count == 1)
        #expect(
            signature.authorization.signedHeaders
                == ["content-type", "host", "user-agent", "x-project-id", "x-sdk-date", "x-security-token"]
        )
    }

    // MARK: Verification

    private static let credential = AccessKeyCredential(
        accessKey: "HPUAVERIFYEXAMPLE001",
        secretKey: "VerifySecretKey-do-not-print-0123456789",
        securityToken: "VerifySecurityToken-do-not-print",
        projectID: exampleProject
    )
    private static let signedAt = Date(timeIntervalSince1970: 1_704_067_200)

    /// A request signed by our signer, as the server receives it.
    private static func signedClusterCertRequest() throws -> SignableRequest {
        let request = try Self.request(
            "POST",
            "https://cce.cn-north-4.myhuaweicloud.com/api/v3/projects/\(exampleProject)/clusters/c%201/clustercert?x=1",
            headers: ["Content-Type": "application/json"],
            body: #"{"duration": 30}"#
        )
        return RequestSigner(credential: credential).sign(request, at: signedAt).request
    }

    private static func verify(
        _ request: SignableRequest,
        secretKey: String = credential.secretKey,
        now: Date = signedAt
    )
        throws(SignatureVerificationError) -> SignatureAuthorization
    {
        try SignatureVerifier().verify(request, secretKey: secretKey, now: now)
    }

    @Test func verifierAcceptsWhatTheSignerSigned() throws {
        let authorization = try Self.verify(try Self.signedClusterCertRequest())
        #expect(authorization.accessKey == Self.credential.accessKey)
    }

    @Test func verifierAcceptsTheRequestAsReceivedOnTheWire() throws {
        let signed = try Self.signedClusterCertRequest()
        let received = SignableRequest(
            method: "post",
            host: "ignored.example.com",
            target: "/api/v3/projects/\(Self.exampleProject)/clusters/c%201/clustercert?x=1",
            headers: signed.headers.map { .init(name: $0.name.uppercased(), value: " \($0.value) ") },
            body: signed.body
        )
        #expect(throws: Never.self) { try Self.verify(received) }
    }

    @Test func verifierRejectsATamperedBody() throws {
        var request = try Self.signedClusterCertRequest()
        request.body = Array(#"{"duration": 31}"#.utf8)
        #expect(throws: SignatureVerificationError.signatureMismatch(accessKey: Self.credential.accessKey)) {
            try Self.verify(request)
        }
    }

    @Test func verifierRejectsATamperedSignedHeader() throws {
        var request = try Self.signedClusterCertRequest()
        request.setHeader("X-Project-Id", "ffffffffffffffffffffffffffffffff")
        #expect(throws: SignatureVerificationError.signatureMismatch(accessKey: Self.credential.accessKey)) {
            try Self.verify(request)
        }
    }

    @Test func verifierRejectsATamperedPathOrQuery() throws {
        var path = try Self.signedClusterCertRequest()
        path.path = path.path.replacingOccurrences(of: "c%201", with: "c%202")
        var query = try Self.signedClusterCertRequest()
        query.query = [.init(name: "x", value: "2")]
        for request in [path, query] {
            #expect(throws: SignatureVerificationError.signatureMismatch(accessKey: Self.credential.accessKey)) {
                try Self.verify(request)
            }
        }
    }

    @Test func verifierRejectsAWrongSecretKey() throws {
        #expect(throws: SignatureVerificationError.signatureMismatch(accessKey: Self.credential.accessKey)) {
            try Self.verify(try Self.signedClusterCertRequest(), secretKey: "SomeOtherSecretKey")
        }
    }

    @Test(arguments: [-16 * 60.0, 16 * 60.0])
    func verifierRejectsADateSkewedByMoreThanFifteenMinutes(_ offset: TimeInterval) throws {
        let request = try Self.signedClusterCertRequest()
        let expected = SignatureVerificationError.dateSkewed(
            date: SignatureDate(Self.signedAt),
            skewSeconds: 960,
            allowedSeconds: 900
        )
        #expect(throws: expected) {
            try Self.verify(request, now: Self.signedAt.addingTimeInterval(offset))
        }
        #expect(throws: Never.self) {
            try Self.verify(request, now: Self.signedAt.addingTimeInterval(offset < 0 ? -900 : 900))
        }
    }

    @Test func verifierRejectsARequestWhoseSignatureDoesNotCoverTheDate() throws {
        var request = try Self.signedClusterCertRequest()
        let authorization = try SignatureAuthorization(parsing: try #require(request.headerValue("Authorization")))
        let withoutDate = SignatureAuthorization(
            accessKey: authorization.accessKey,
            signedHeaders: authorization.signedHeaders.filter { $0 != "x-sdk-date" },
            signature: authorization.signature
        )
        request.setHeader("Authorization", withoutDate.headerValue)
        #expect(throws: SignatureVerificationError.dateNotSigned) { try Self.verify(request) }
    }

    @Test func verifierRejectsMissingOrMalformedHeaders() throws {
        let signed = try Self.signedClusterCertRequest()
        var noAuthorization = signed
        noAuthorization.headers.removeAll { $0.name == "Authorization" }
        var otherAlgorithm = signed
        otherAlgorithm.setHeader("Authorization", "SDK-HMAC-SM3 Access=AK, SignedHeaders=host, Signature=00")
        var noSignature = signed
        noSignature.setHeader("Authorization", "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date")
        var badDate = signed
        badDate.setHeader("X-Sdk-Date", "2024-01-01T00:00:00Z")
        var missingSigned = signed
        missingSigned.headers.removeAll { $0.name == "X-Project-Id" }

        #expect(throws: SignatureVerificationError.missingAuthorization) { try Self.verify(noAuthorization) }
        #expect(throws: SignatureVerificationError.unsupportedAlgorithm("SDK-HMAC-SM3")) {
            try Self.verify(otherAlgorithm)
        }
        let malformed = #expect(throws: SignatureVerificationError.self) { try Self.verify(noSignature) }
        guard case .malformedAuthorization = malformed else {
            Issue.record("expected a malformed Authorization error, got \(String(describing: malformed))")
            return
        }
        #expect(throws: SignatureVerificationError.malformedDate) { try Self.verify(badDate) }
        #expect(throws: SignatureVerificationError.missingSignedHeader("x-project-id")) {
            try Self.verify(missingSigned)
        }
    }

    // MARK: Secrets stay out of text

    @Test func errorDescriptionsNeverRevealSecretsOrTheFullAccessKey() throws {
        let signed = try Self.signedClusterCertRequest()
        var tampered = signed
        tampered.body = []
        var skewed = signed
        skewed.setHeader("X-Sdk-Date", "20240101T010000Z")
        var malformed = signed
        malformed.setHeader("Authorization", "SDK-HMAC-SHA256 Access=\(Self.credential.accessKey), Signature=zz")
        let signature = try #require(signed.headerValue("Authorization")).components(separatedBy: "Signature=")[1]

        let attempts = [
            (tampered, Self.credential.secretKey), (skewed, Self.credential.secretKey),
            (malformed, Self.credential.secretKey), (signed, "wrong"),
        ]
        let errors = attempts.compactMap { request, secretKey in
            #expect(throws: SignatureVerificationError.self) { try Self.verify(request, secretKey: secretKey) }
        }

        #expect(errors.count == 4)
        for error in errors {
            let text = "\(error) \(String(reflecting: error))"
            #expect(!text.contains(Self.credential.secretKey))
            #expect(!text.contains(try #require(Self.credential.securityToken)))
            #expect(!text.contains(signature))
            #expect(!text.contains(Self.credential.accessKey))
        }
        #expect(errors.contains { "\($0)".contains("HPUA…") })
    }

    @Test func credentialAndSignatureDescriptionsRedactSecrets() throws {
        let request = try Self.request("GET", "https://iam.myhuaweicloud.com/v3/projects")
        let signature = RequestSigner(credential: Self.credential).sign(request, at: Self.signedAt)
        var dumped = ""
        dump(Self.credential, to: &dumped)

        for text in [
            "\(Self.credential)", String(reflecting: Self.credential), dumped, "\(signature)",
            "\(signature.authorization)",
        ] {
            #expect(!text.contains(Self.credential.secretKey))
            #expect(!text.contains(try #require(Self.credential.securityToken)))
            #expect(!text.contains(Self.credential.accessKey))
            #expect(!text.contains(signature.authorization.signature))
        }
    }
}
