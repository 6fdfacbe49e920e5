import AsyncHTTPClient
import CCESigning
import CCESimulator
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// A small fleet for the ListClusters, IAM project, throttle and control tests: named clusters
/// in a region's project, a sub-project and a second region.
enum FleetData {
    static let project = TestData.project
    static let subProject = "00112233445566778899aabbccddeeff"
    static let otherProject = TestData.otherProject

    static let prod = "5a000000-0000-4000-8000-000000000001"
    static let batch = "5a000000-0000-4000-8000-000000000002"
    static let pilot = "5a000000-0000-4000-8000-000000000003"
    static let dev = "5a000000-0000-4000-8000-000000000004"
    static let apac = "5a000000-0000-4000-8000-000000000005"

    static func configuration(cloud: SimulatorConfiguration.Cloud = .huaweicloud, throttle: CallThrottle? = nil) -> SimulatorConfiguration {
        var configuration = TestData.configuration
        configuration.projectNames[subProject] = "cn-north-4_dev"
        configuration.cloud = cloud
        configuration.certificateThrottle = throttle
        configuration.clusters = [
            SimulatedCluster(projectID: project, clusterID: prod, hasExternalEndpoint: true, name: "prod", labels: ["env": "prod"]),
            SimulatedCluster(projectID: project, clusterID: batch, name: "batch", phase: "Hibernation", category: .turbo),
            SimulatedCluster(projectID: project, clusterID: pilot, type: .autopilot, name: "pilot"),
            SimulatedCluster(projectID: subProject, clusterID: dev, name: "prod"),
            SimulatedCluster(projectID: otherProject, clusterID: apac, name: "apac"),
        ]
        return configuration
    }

    /// The permanent test key without a project, as IAM calls are signed.
    static let iamCredential = AccessKeyCredential(accessKey: TestData.accessKey, secretKey: TestData.secretKey)
}

extension SimulatorHarness {
    /// `GET` of a ListClusters path, AK/SK signed acting in `project`.
    func listClusters(project: String = FleetData.project, autopilot: Bool = false, query: String = "") async throws -> Answer {
        let path = "/\(autopilot ? "autopilot" : "api")/v3/projects/\(project)/clusters" + query
        return try await signedGet(
            simulator.apiEndpoint,
            path,
            credential: AccessKeyCredential(
                accessKey: TestData.accessKey,
                secretKey: TestData.secretKey,
                projectID: project
            )
        )
    }

    /// A signed `GET` of `path` (query included) at `endpoint`.
    func signedGet(_ endpoint: URL, _ path: String, credential: AccessKeyCredential, timeout: TimeAmount = .seconds(120)) async throws
        -> Answer
    {
        let url = try #require(URL(string: endpoint.absoluteString + path))
        let unsigned = try #require(
            SignableRequest(method: "GET", url: url, headers: [.init(name: "Content-Type", value: "application/json")])
        )
        let request = RequestSigner(credential: credential).sign(unsigned, at: Date()).request
        return try await send(.GET, url: url, headers: request.headers.map { ($0.name, $0.value) }, body: [], timeout: timeout)
    }

    /// A `GET` with `X-Auth-Token`.
    func getWithToken(_ token: String, _ endpoint: URL, _ path: String) async throws -> Answer {
        try await send(.GET, url: try #require(URL(string: endpoint.absoluteString + path)), headers: [("X-Auth-Token", token)], body: [])
    }

    /// A certificate `POST` for `clusterID` with `X-Auth-Token`.
    func certificate(_ clusterID: String, project: String = FleetData.project, token: String = TestData.staticToken) async throws -> Answer
    {
        try await withToken(token, SimulatorHarness.certPath(clusterID, project: project))
    }
}

extension Answer {
    /// `items` of a ListClusters body.
    func items() throws -> [[String: any Sendable]] {
        try #require(try json()["items"] as? [[String: any Sendable]], "no items list in \(text)")
    }

    /// The value at a path of nested objects, e.g. `["metadata", "name"]`.
    static func value(_ object: [String: any Sendable], _ path: String...) -> (any Sendable)? {
        var current: (any Sendable)? = object
        for key in path {
            current = (current as? [String: any Sendable])?[key]
        }
        return current
    }
}
