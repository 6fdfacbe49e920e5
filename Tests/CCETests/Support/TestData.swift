import CCESigning
import Foundation
import WatchList

@testable import CCE

/// Credentials, clusters and answers shared by the tests. Every secret here is fake and distinctive,
/// so a test can search any output for it.
enum TestData {
    static let accessKey = "AKTESTEXAMPLEKEY0001"
    static let secretKey = "SKtestSecretKeyThatMustNeverBePrinted000"
    static let securityToken = "STStemporarySecurityTokenNeverPrinted"
    static let token = "MIITtestStaticTokenThatMustNeverBePrinted"
    static let password = "Correct-Horse-Battery-Staple-42"
    static let iamToken = "MIIIiamTokenFromPasswordLoginNeverPrinted"

    /// Every secret above: none may appear in any message.
    static var secrets: [String] {
        [accessKey, secretKey, securityToken, token, password, iamToken]
    }

    static let projectID = "0123456789abcdef0123456789abcdef"
    static let clusterID = "4e7a9f1c-0000-11ee-8f3a-0255ac100b03"

    static let accessKeyCredential = AccessKeyCredential(accessKey: accessKey, secretKey: secretKey)
    static let temporaryCredential = AccessKeyCredential(accessKey: accessKey, secretKey: secretKey, securityToken: securityToken)

    /// A cluster `prod` whose CCE endpoint is `endpoint`.
    static func cluster(
        endpoint: String,
        api: WatchedCluster.API = .post,
        type: WatchedCluster.ClusterType = .cce,
        caFile: String? = nil,
        durationDays: Int = 30
    ) -> WatchedCluster {
        WatchedCluster(
            name: "prod",
            projectID: projectID,
            clusterID: clusterID,
            region: "cn-north-4",
            options: ClusterOptions(
                credentials: "default",
                endpoint: URL(string: endpoint),
                caFile: caFile,
                api: api,
                type: type,
                durationDays: durationDays
            )
        )
    }

    /// A `clustercert` answer with EIP, client certificate valid 2026-01-01 to 2036-01-01.
    static func goodAnswer() throws -> [UInt8] {
        try Fixtures.bytes("config/examples/cce-kubeconfig.json")
    }

    /// A successful IAM login answer carrying ``iamToken``, valid for 24 hours from now, with
    /// microseconds in `expires_at` as IAM writes it.
    static func iamLoginAnswer() -> TestServer.Reply {
        let expires = Date().addingTimeInterval(24 * 3600).formatted(.iso8601)
        let body = #"{"token":{"expires_at":"\#(expires.dropLast()).855000Z","methods":["password"]}}"#
        return .json(201, body, headers: [("X-Subject-Token", iamToken)])
    }

    /// A client for tests. Its default timeouts only stop a hung test: a loopback server answers
    /// at once, but on a two-core machine running the suite in parallel a TLS handshake or a
    /// megabyte of a streamed body can take seconds. Tests of the timeouts set their own.
    static func client(
        requestTimeout: Duration = .seconds(120),
        connectTimeout: Duration = .seconds(60),
        proxy: ProxySettings = .direct,
        now: @escaping @Sendable () -> Date = { Date() }
    ) -> CCEClient {
        CCEClient(configuration: .init(proxy: proxy, connectTimeout: connectTimeout, requestTimeout: requestTimeout, now: now))
    }
}
