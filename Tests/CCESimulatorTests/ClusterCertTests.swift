import CCESigning
import CCESimulator
import Foundation
import Kubeconfig
import NIOHTTP1
import Testing
import X509

/// The cluster-certificate APIs: POST, the deprecated GET and Autopilot, their bodies, and answers
/// that the product's own validation accepts.
@Suite struct ClusterCertTests {
    @Test func signedPostReturnsAnAnswerTheProductAcceptsWithTheRequestedLifetime() async throws {
        try await SimulatorHarness.with { harness in
            let sent = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
            let answer = try await harness.signed(SimulatorHarness.certPath(TestData.externalCluster))
            let received = Date()
            #expect(answer.status == .ok, "\(answer.text)")
            _ = try answer.requestID()
            #expect(answer.headers.first(name: "Port-ID")?.isEmpty == false)
            #expect(answer.headers.first(name: "Content-Type") == "application/json")

            let credentials = try CCECredentials(parsing: answer.body)
            let servers = try #require(harness.simulator.apiServers[TestData.externalCluster])
            #expect(credentials.endpoints.map(\.name) == ["internal", "external"])
            #expect(credentials.endpoints[0].server == servers.internal.absoluteString)
            #expect(credentials.endpoints[0].server.hasPrefix("https://127.0.0.1:"))
            #expect(credentials.endpoints[0].certificateAuthorityData != nil)
            #expect(!credentials.endpoints[0].insecureSkipTLSVerify)
            #expect(credentials.endpoints[1].server == servers.external?.absoluteString)
            #expect(credentials.endpoints[1].server.hasPrefix("https://127.0.0.2:"))
            #expect(credentials.endpoints[1].certificateAuthorityData == nil)
            #expect(credentials.endpoints[1].insecureSkipTLSVerify)
            #expect(credentials.clientCertificate.lifetime == 30 * 86_400)
            // Valid from the second it was issued: between the request and the answer.
            #expect(credentials.clientCertificate.notBefore >= sent && credentials.clientCertificate.notBefore <= received)

            let document = try answer.json()
            #expect(document["current-context"] as? String == "external")
            #expect(document["kind"] as? String == "Config")
            #expect(document["apiVersion"] as? String == "v1")
            #expect(answer.text.hasPrefix(#"{"kind":"Config","apiVersion":"v1","preferences":{},"clusters":[{"name":"internalCluster""#))
        }
    }

    @Test func clientCertificateIsForSystemMastersWithClientAuthAndAPKCS1RSAKey() async throws {
        try await SimulatorHarness.with { harness in
            let answer = try await harness.signed(SimulatorHarness.certPath(TestData.internalCluster))
            let credentials = try CCECredentials(parsing: answer.body)
            let certificate = try Certificate(pemEncoded: try Self.decode(credentials.clientCertificateData))
            #expect(certificate.subject.description.contains("CN=cce-user"))
            #expect(certificate.subject.description.contains("O=system:masters"))
            #expect(try certificate.extensions.extendedKeyUsage?.contains(.clientAuth) == true)
            let key = try Self.decode(credentials.clientKeyData)
            #expect(key.hasPrefix("-----BEGIN RSA PRIVATE KEY-----\n"))
            let authority = try Certificate(pemEncoded: try Self.decode(try #require(credentials.endpoints[0].certificateAuthorityData)))
            #expect(certificate.issuer == authority.subject)
        }
    }

    @Test func clusterWithoutExternalEndpointAnswersInternalOnly() async throws {
        try await SimulatorHarness.with { harness in
            let answer = try await harness.signed(SimulatorHarness.certPath(TestData.internalCluster))
            let credentials = try CCECredentials(parsing: answer.body)
            #expect(credentials.endpoints.map(\.name) == ["internal"])
            #expect(try answer.json()["current-context"] as? String == "internal")
            #expect(harness.simulator.apiServers[TestData.internalCluster]?.external == nil)
        }
    }

    @Test func durationMinusOneAndExpireAtSetTheLifetime() async throws {
        try await SimulatorHarness.with { harness in
            let path = SimulatorHarness.certPath(TestData.internalCluster)
            let longest = try CCECredentials(parsing: try await harness.signed(path, body: #"{"duration": -1}"#).body)
            let fiveYears = Calendar(identifier: .gregorian).date(byAdding: .year, value: 5, to: longest.clientCertificate.notBefore)!
            #expect(abs(longest.clientCertificate.notAfter.timeIntervalSince(fiveYears)) <= 86_400)

            let oneDay = try CCECredentials(parsing: try await harness.signed(path, body: #"{"duration":1}"#).body)
            #expect(oneDay.clientCertificate.lifetime == 86_400)

            let expireAt = #"{"duration": 30, "expire_at": "2030-01-01 16:00:00 +0000 UTC"}"#
            let until = try CCECredentials(parsing: try await harness.signed(path, body: expireAt).body)
            #expect(until.clientCertificate.notAfter == Date(timeIntervalSince1970: 1_893_513_600))
        }
    }

    @Test(arguments: [
        #"{"duration": 0}"#, #"{"duration": 2000}"#, #"{"duration": -2}"#, #"{"duration": "30"}"#, #"{"duration": 1.5}"#,
        #"{}"#, #"[30]"#, "duration=30", #"{"expire_at": "2030-01-01T16:00:00Z"}"#,
        #"{"expire_at": "2000-01-01 16:00:00 +0000 UTC"}"#,
    ])
    func invalidBodiesAreCCEInvalidRequests(body: String) async throws {
        try await SimulatorHarness.with { harness in
            let answer = try await harness.signed(SimulatorHarness.certPath(TestData.internalCluster), body: body)
            try answer.expectCCEError(.badRequest, "CCE.01400001", "Invalid request.")
        }
    }

    @Test func bodyNotDeclaredAsJSONIsAnUnsupportedContentType() async throws {
        try await SimulatorHarness.with { harness in
            let answer = try await harness.signed(SimulatorHarness.certPath(TestData.internalCluster), contentType: "text/plain")
            try answer.expectCCEError(.badRequest, "CCE.01400006", "Content type not supported.")
            let charset = try await harness.signed(
                SimulatorHarness.certPath(TestData.internalCluster),
                contentType: "application/json;charset=utf-8"
            )
            #expect(charset.status == .ok)
        }
    }

    @Test func deprecatedGetIssuesAFiveYearCertificate() async throws {
        try await SimulatorHarness.with { harness in
            let answer = try await harness.signed(SimulatorHarness.certPath(TestData.externalCluster), method: .GET, body: nil)
            #expect(answer.status == .ok, "\(answer.text)")
            let credentials = try CCECredentials(parsing: answer.body)
            #expect(credentials.endpoints.count == 2)
            #expect(credentials.clientCertificate.lifetime >= 1826 * 86_400)
        }
    }

    @Test func autopilotClusterAnswersOnTheAutopilotPathOnly() async throws {
        try await SimulatorHarness.with { harness in
            let autopilot = try await harness.signed(SimulatorHarness.certPath(TestData.autopilotCluster, autopilot: true))
            #expect(autopilot.status == .ok, "\(autopilot.text)")
            _ = try CCECredentials(parsing: autopilot.body)

            let wrongFamily = try await harness.signed(SimulatorHarness.certPath(TestData.autopilotCluster))
            try wrongFamily.expectCCEError(.notFound, "CCE.01404001", "Resource not found.")
            let cceOnAutopilot = try await harness.signed(SimulatorHarness.certPath(TestData.internalCluster, autopilot: true))
            try cceOnAutopilot.expectCCEError(.notFound, "CCE.01404001", "Resource not found.")
            let autopilotGet = try await harness.signed(
                SimulatorHarness.certPath(TestData.autopilotCluster, autopilot: true),
                method: .GET,
                body: nil
            )
            try autopilotGet.expectGatewayError(.notFound, "APIGW.0101", containing: "The API does not exist")
        }
    }

    @Test func unknownClusterOrClusterOfAnotherProjectIsCCENotFound() async throws {
        try await SimulatorHarness.with { harness in
            let unknown = try await harness.signed(SimulatorHarness.certPath("4e7a9f1c-0000-11ee-8f3a-0255ac1000ff"))
            try unknown.expectCCEError(.notFound, "CCE.01404001", "Resource not found.")

            let elsewhere = AccessKeyCredential(
                accessKey: TestData.accessKey,
                secretKey: TestData.secretKey,
                projectID: TestData.otherProject
            )
            let misplaced = try await harness.signed(
                SimulatorHarness.certPath(TestData.externalCluster, project: TestData.otherProject),
                credential: elsewhere
            )
            try misplaced.expectCCEError(.notFound, "CCE.01404001", "Resource not found.")
        }
    }

    @Test func otherPathsAndMethodsAreGatewayNotFound() async throws {
        try await SimulatorHarness.with { harness in
            for (method, path) in [
                (HTTPMethod.PUT, SimulatorHarness.certPath(TestData.internalCluster)),
                (.POST, "/api/v3/projects/\(TestData.project)/clusters"),
                (.POST, "/v3/auth/tokens"),
            ] {
                let answer = try await harness.signed(path, method: method)
                try answer.expectGatewayError(.notFound, "APIGW.0101", containing: "has not been published")
            }
        }
    }

    @Test func renewalsIssueNewCertificatesWithTheClusterKey() async throws {
        try await SimulatorHarness.with { harness in
            let path = SimulatorHarness.certPath(TestData.internalCluster)
            let first = try CCECredentials(parsing: try await harness.signed(path).body)
            let second = try CCECredentials(parsing: try await harness.signed(path).body)
            #expect(first.clientCertificateData != second.clientCertificateData)
            #expect(first.clientKeyData == second.clientKeyData)
            let other = try CCECredentials(parsing: try await harness.signed(SimulatorHarness.certPath(TestData.externalCluster)).body)
            #expect(other.clientKeyData != first.clientKeyData)
        }
    }

    @Test func fixedLifetimeOverridesTheRequestedDuration() async throws {
        try await SimulatorHarness.with { harness in
            let answer = try await harness.signed(SimulatorHarness.certPath(TestData.shortLivedCluster), body: #"{"duration": 365}"#)
            #expect(try CCECredentials(parsing: answer.body).clientCertificate.lifetime == 120)
        }
    }

    @Test func requestCounterCountsEveryRequestNamingTheCluster() async throws {
        try await SimulatorHarness.with { harness in
            let path = SimulatorHarness.certPath(TestData.internalCluster)
            _ = try await harness.signed(path)
            _ = try await harness.signed(path, body: #"{"duration": 0}"#)
            _ = try await harness.withToken("MIIunknown", path)
            #expect(harness.simulator.requestCount(forCluster: TestData.internalCluster) == 3)
            #expect(harness.simulator.requestCount(forCluster: TestData.externalCluster) == 0)
        }
    }

    private static func decode(_ base64: String) throws -> String {
        String(decoding: try #require(Data(base64Encoded: base64)), as: UTF8.self)
    }
}
