import AsyncHTTPClient
import CCESigning
import CCESimulator
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL
import Testing

/// A running simulator in a directory of its own, and an HTTPS client that trusts its CA.
struct SimulatorHarness: Sendable {
    let simulator: RunningSimulator
    let client: HTTPClient
    let directory: URL

    /// Starts a simulator, runs `body`, and shuts everything down whether `body` throws or not.
    ///
    /// - Parameter clock: the simulator's clock, for tests of expiry; the real time by default.
    static func with<Result: Sendable>(
        _ configuration: SimulatorConfiguration = TestData.configuration,
        clock: TestClock? = nil,
        _ body: (SimulatorHarness) async throws -> Result
    ) async throws -> Result {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cce-simulator-tests-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let simulator = try await CCESimulator.start(configuration, directory: directory, now: { clock?.now ?? Date() })
        var tls = TLSConfiguration.makeClientConfiguration()
        let client: HTTPClient
        do {
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(simulator.caFile.path))
            client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: .init(tlsConfiguration: tls))
        } catch {
            await simulator.shutdown()
            throw error
        }
        let harness = SimulatorHarness(simulator: simulator, client: client, directory: directory)
        do {
            let result = try await body(harness)
            try await client.shutdown()
            await simulator.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            await simulator.shutdown()
            throw error
        }
    }

    /// The cluster-certificate path of a cluster.
    static func certPath(_ clusterID: String, project: String = TestData.project, autopilot: Bool = false) -> String {
        "/\(autopilot ? "autopilot" : "api")/v3/projects/\(project)/clusters/\(clusterID)/clustercert"
    }

    /// Sends a request to the CCE endpoint signed with `credential` as of `date`; `tamper` may
    /// change the signed request before it is sent. The default `timeout` only stops a hung test:
    /// the suite runs in parallel on two cores, where a TLS handshake can take seconds.
    func signed(
        _ path: String,
        method: HTTPMethod = .POST,
        body: String? = #"{"duration": 30}"#,
        contentType: String? = "application/json",
        credential: AccessKeyCredential = .test,
        date: Date = Date(),
        tamper: (inout SignableRequest) -> Void = { _ in },
        timeout: TimeAmount = .seconds(120)
    ) async throws -> Answer {
        let url = simulator.apiEndpoint.appendingPathComponent(String(path.dropFirst()))
        var headers: [SignableRequest.Header] = []
        if let contentType {
            headers.append(.init(name: "Content-Type", value: contentType))
        }
        let unsigned = try #require(SignableRequest(method: method.rawValue, url: url, headers: headers, body: Array((body ?? "").utf8)))
        var request = RequestSigner(credential: credential).sign(unsigned, at: date).request
        tamper(&request)
        return try await send(method, url: url, headers: request.headers.map { ($0.name, $0.value) }, body: request.body, timeout: timeout)
    }

    /// A `POST` of a JSON `body` to `path` at `endpoint`, signed with `credential` as of `date`.
    func signedPost(_ endpoint: URL, _ path: String, body: String, credential: AccessKeyCredential, date: Date = Date()) async throws
        -> Answer
    {
        let url = try #require(URL(string: endpoint.absoluteString + path))
        let unsigned = try #require(
            SignableRequest(
                method: "POST",
                url: url,
                headers: [.init(name: "Content-Type", value: "application/json;charset=UTF-8")],
                body: Array(body.utf8)
            )
        )
        let request = RequestSigner(credential: credential).sign(unsigned, at: date).request
        return try await send(.POST, url: url, headers: request.headers.map { ($0.name, $0.value) }, body: request.body)
    }

    /// A `POST` of a JSON `body` to `path` at `endpoint` with these headers (e.g. `X-Auth-Token`).
    func post(_ endpoint: URL, _ path: String, body: String, headers: [(String, String)] = []) async throws -> Answer {
        try await send(
            .POST,
            url: try #require(URL(string: endpoint.absoluteString + path)),
            headers: [("Content-Type", "application/json;charset=UTF-8")] + headers,
            body: Array(body.utf8)
        )
    }

    /// Sends a request to the CCE endpoint with `X-Auth-Token`.
    func withToken(_ token: String, _ path: String, body: String = #"{"duration": 30}"#) async throws -> Answer {
        try await send(
            .POST,
            url: simulator.apiEndpoint.appendingPathComponent(String(path.dropFirst())),
            headers: [("X-Auth-Token", token), ("Content-Type", "application/json")],
            body: Array(body.utf8)
        )
    }

    /// Logs in at IAM with a password, scoped to a project by name.
    func login(user: String = TestData.user, password: String = TestData.password, projectName: String = "cn-north-4") async throws
        -> Answer
    {
        let body = """
            {"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"\(user)","password":"\(password)",\
            "domain":{"name":"\(TestData.domain)"}}}},"scope":{"project":{"name":"\(projectName)"}}}}
            """
        return try await send(
            .POST,
            url: simulator.iamEndpoint.appendingPathComponent("v3/auth/tokens"),
            headers: [("Content-Type", "application/json;charset=UTF-8")],
            body: Array(body.utf8)
        )
    }

    func send(
        _ method: HTTPMethod,
        url: URL,
        headers: [(String, String)],
        body: [UInt8],
        timeout: TimeAmount = .seconds(120)
    ) async throws -> Answer {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = method
        for (name, value) in headers {
            request.headers.replaceOrAdd(name: name, value: value)
        }
        if !body.isEmpty {
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response = try await client.execute(request, timeout: timeout)
        let bytes = try await response.body.collect(upTo: 4 << 20)
        return Answer(status: response.status, headers: response.headers, body: Array(bytes.readableBytesView))
    }
}

/// A response read whole.
struct Answer: Sendable {
    var status: HTTPResponseStatus
    var headers: HTTPHeaders
    var body: [UInt8]

    /// The body as a JSON object.
    func json() throws -> [String: any Sendable] {
        let object = try JSONSerialization.jsonObject(with: Data(body))
        return try #require(object as? [String: any Sendable], "the body is not a JSON object")
    }

    /// The body as text, for messages.
    var text: String { String(decoding: body, as: UTF8.self) }
}

extension AccessKeyCredential {
    /// The permanent test key, acting in the test project.
    static let test = AccessKeyCredential(accessKey: TestData.accessKey, secretKey: TestData.secretKey, projectID: TestData.project)
}
