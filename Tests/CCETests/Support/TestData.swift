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
            credentials: "default",
            endpoint: URL(string: endpoint),
            caFile: caFile,
            api: api,
            type: type,
            durationDays: durationDays
        )
    }

    /// The repository, found from this file's path.
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A committed file's bytes.
    static func fixture(_ relativePath: String) throws -> [UInt8] {
        Array(try Data(contentsOf: repository.appendingPathComponent(relativePath)))
    }

    /// A `clustercert` answer with EIP, client certificate valid 2026-01-01 to 2036-01-01.
    static func goodAnswer() throws -> [UInt8] {
        try fixture("config/examples/cce-kubeconfig.json")
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

/// A directory under the system's temporary directory, removed when the test is done.
struct TemporaryDirectory: ~Copyable {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "cce-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Writes `text` to `name` inside the directory with `mode`, and returns its path.
    func write(_ name: String, _ text: String, mode: Int = 0o600) throws -> String {
        let file = path + "/" + name
        try FileManager.default.createDirectory(
            atPath: (file as NSString).deletingLastPathComponent,
            withIntermediateDirectories: true
        )
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: file)
        return file
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}
