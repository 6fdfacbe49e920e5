import Foundation
import Kubeconfig
import Testing

@Suite struct CCECredentialsTests {
    @Test func answerWithEIPHasInternalAndExternalEndpoints() throws {
        let credentials = try CCECredentials(parsing: try Fixtures.bytes("config/examples/cce-kubeconfig.json"))
        #expect(credentials.endpoints.map(\.name) == ["internal", "external"])
        #expect(credentials.endpoints[0].server == "https://192.168.0.10:5443")  // the fixture's VPC address: data only, never connected to
        #expect(credentials.endpoints[0].certificateAuthorityData != nil)
        #expect(credentials.endpoints[0].insecureSkipTLSVerify == false)
        #expect(credentials.endpoints[1].insecureSkipTLSVerify)
        #expect(credentials.endpoints[1].certificateAuthorityData == nil)
    }

    @Test func clientCertificateValidityIsRead() throws {
        let credentials = try CCECredentials(parsing: try Fixtures.bytes("config/examples/cce-kubeconfig.json"))
        #expect(credentials.clientCertificate.notBefore == ISO8601DateFormatter().date(from: "2026-01-01T00:00:00Z"))
        #expect(credentials.clientCertificate.notAfter == ISO8601DateFormatter().date(from: "2036-01-01T00:00:00Z"))
    }

    @Test func answerWithoutEIPHasOnlyTheInternalEndpoint() throws {
        let credentials = try CCECredentials(parsing: try Fixtures.bytes("config/examples/cce-kubeconfig-internal-only.json"))
        #expect(credentials.endpoints.map(\.name) == ["internal"])
    }

    @Test(
        arguments: [
            ("invalid-json.json", 46, "the answer is not valid JSON"),
            ("no-users.json", 21, "users is empty"),
            ("bad-base64.json", 25, "users[user].user.client-certificate-data is not valid base64"),
            ("http-server.json", 9, "clusters[internalCluster].cluster.server is not an https:// URL"),
            ("not-pem.json", 25, "users[user].user.client-certificate-data does not decode to a PEM certificate"),
            ("wrong-shape.json", 5, "clusters must be a list"),
        ] as [(String, Int?, String)]
    )
    func badAnswerIsRefusedNamingFieldAndLine(file: String, line: Int?, message: String) throws {
        let error = try #require(throws: CCECredentialsError.self) {
            try CCECredentials(parsing: try Fixtures.bytes("Tests/Fixtures/cce/bad/\(file)"))
        }
        #expect(error.description.contains(message), "\(error)")
        if let line { #expect(error.location?.line == line, "\(error)") }
    }

    @Test func errorsNeverQuoteCertificateOrKeyData() throws {
        let answer = try Fixtures.text("Tests/Fixtures/cce/bad/not-pem.json")
        let error = try #require(throws: CCECredentialsError.self) { try CCECredentials(parsing: Array(answer.utf8)) }
        let garbage = try #require(answer.firstMatch(of: #/"client-certificate-data": "([^"]+)"/#)?.output.1)
        #expect(!error.description.contains(garbage.prefix(16)))
    }

    @Test func bothCAAndInsecureFlagOnOneClusterIsRefused() throws {
        var answer = try Fixtures.text("config/examples/cce-kubeconfig.json")
        answer = answer.replacingOccurrences(
            of: "\"server\": \"https://192.168.0.10:5443\",",
            with: "\"server\": \"https://192.168.0.10:5443\", \"insecure-skip-tls-verify\": true,"
        )  // the fixture's VPC address: data only, never connected to
        let error = try #require(throws: CCECredentialsError.self) { try CCECredentials(parsing: Array(answer.utf8)) }
        #expect(error.problem == .caWithInsecureFlag)
    }
}
