import CCESigning
import Foundation
import Testing

@testable import CCE

/// How the fleet calls are built: path, query, headers, and what a signature covers.
@Suite struct FleetRequestTests {
    private let date = Date(timeIntervalSince1970: 1_800_000_000)
    private let cce = URL(string: "https://cce.cn-north-4.myhuaweicloud.com")!
    private let iam = URL(string: "https://iam.cn-north-4.myhuaweicloud.com")!

    @Test func listClustersIsASignedGetActingInThePathsProject() throws {
        let request = try FleetRequest.listClusters(
            projectID: TestData.projectID,
            type: .cce,
            endpoint: cce,
            authentication: .signed(TestData.accessKeyCredential),
            date: date
        )
        #expect(request.method == .GET && request.body.isEmpty)
        #expect(request.url.absoluteString == "https://cce.cn-north-4.myhuaweicloud.com/api/v3/projects/\(TestData.projectID)/clusters")
        #expect(request.headers.first(name: "X-Project-Id") == TestData.projectID)
        let authorization = try #require(request.headers.first(name: "Authorization"))
        #expect(authorization.contains("SignedHeaders=content-type;host;user-agent;x-project-id;x-sdk-date,"), "\(authorization)")
    }

    @Test func autopilotListHasItsOwnPrefix() throws {
        let request = try FleetRequest.listClusters(
            projectID: "p",
            type: .autopilot,
            endpoint: cce,
            authentication: .token(TestData.token),
            date: date
        )
        #expect(request.url.path == "/autopilot/v3/projects/p/clusters")
        #expect(request.headers.first(name: "X-Auth-Token") == TestData.token)
    }

    @Test func projectLookupIsSignedWithoutAProjectAndEncodesTheName() throws {
        let request = try FleetRequest.projects(
            named: "cn-north-4_dev",
            endpoint: iam,
            authentication: .signed(TestData.accessKeyCredential),
            date: date
        )
        #expect(request.url.absoluteString == "https://iam.cn-north-4.myhuaweicloud.com/v3/projects?name=cn-north-4_dev")
        #expect(request.headers.first(name: "X-Project-Id") == nil)
        let signable = try #require(
            SignableRequest(method: "GET", url: request.url, headers: request.headers.map { .init(name: $0.name, value: $0.value) })
        )
        #expect(try SignatureVerifier().verify(signable, secretKey: TestData.secretKey, now: date).accessKey == TestData.accessKey)
    }

    @Test func plainHTTPIsRefusedBeyondLoopback() {
        #expect(throws: ServiceFailure.self) {
            try FleetRequest.authProjects(
                endpoint: URL(string: "http://iam.example.com")!,
                authentication: .token(TestData.token),
                date: date
            )
        }
    }
}
