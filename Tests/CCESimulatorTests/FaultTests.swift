import AsyncHTTPClient
import CCESimulator
import Foundation
import Kubeconfig
import NIOCore
import NIOHTTP1
import Testing

/// Every injected fault, set at run time or by configuration, and what it sends.
@Suite struct FaultTests {
    private let path = SimulatorHarness.certPath(TestData.internalCluster)

    /// An error fault and the answer it must produce.
    struct ErrorCase: Sendable, CustomTestStringConvertible {
        var fault: Fault
        var status: HTTPResponseStatus
        var code: String
        var message: String
        var isGateway: Bool
        var testDescription: String { fault.description }
    }

    @Test(arguments: [
        ErrorCase(fault: .unauthorized, status: .unauthorized, code: "CCE.01401001", message: "Authorization failed.", isGateway: false),
        ErrorCase(fault: .forbidden, status: .forbidden, code: "CCE.01403001", message: "Forbidden.", isGateway: false),
        ErrorCase(fault: .notFound, status: .notFound, code: "CCE.01404001", message: "Resource not found.", isGateway: false),
        ErrorCase(
            fault: .throttled(retryAfterSeconds: 7),
            status: .tooManyRequests,
            code: "APIGW.0308",
            message: "The throttling threshold has been reached: policy user over ratelimit",
            isGateway: true
        ),
        ErrorCase(fault: .internalError, status: .internalServerError, code: "CCE.01500001", message: "Internal error.", isGateway: false),
        ErrorCase(
            fault: .serviceUnavailable,
            status: .serviceUnavailable,
            code: "APIGW.0201",
            message: "Backend unavailable.",
            isGateway: true
        ),
    ])
    func errorFaultAnswersWithItsStatusAndBodyShape(_ expected: ErrorCase) async throws {
        try await SimulatorHarness.with { harness in
            try harness.simulator.setFault(expected.fault, forCluster: TestData.internalCluster)
            let answer = try await harness.signed(path)
            if expected.isGateway {
                try answer.expectGatewayError(expected.status, expected.code, containing: expected.message)
            } else {
                try answer.expectCCEError(expected.status, expected.code, expected.message)
            }
            #expect(answer.headers.first(name: "Retry-After") == (expected.status == .tooManyRequests ? "7" : nil))

            let unaffected = try await harness.signed(SimulatorHarness.certPath(TestData.externalCluster))
            #expect(unaffected.status == .ok)
        }
    }

    @Test func invalidJSONIsCutInTheMiddle() async throws {
        try await SimulatorHarness.with { harness in
            try harness.simulator.setFault(.invalidJSON, forCluster: TestData.internalCluster)
            let answer = try await harness.signed(path)
            #expect(answer.status == .ok)
            #expect(answer.text.hasPrefix(#"{"kind":"Config""#))
            #expect(throws: (any Error).self) { try JSONSerialization.jsonObject(with: Data(answer.body)) }
            #expect(throws: CCECredentialsError.self) { try CCECredentials(parsing: answer.body) }
        }
    }

    @Test func truncatedBodyClosesBeforeItsAnnouncedLength() async throws {
        try await SimulatorHarness.with { harness in
            try harness.simulator.setFault(.truncatedBody, forCluster: TestData.internalCluster)
            await #expect(throws: (any Error).self) { try await harness.signed(path) }
            #expect(harness.simulator.requestCount(forCluster: TestData.internalCluster) == 1)
        }
    }

    @Test func oversizedBodyIsValidJSONStreamedInChunksBeyondTheCap() async throws {
        try await SimulatorHarness.with { harness in
            try harness.simulator.setFault(.oversizedBody(bytes: 3 << 20), forCluster: TestData.internalCluster)
            let whole = try await harness.signed(path)
            #expect(whole.status == .ok)
            #expect(whole.headers.first(name: "Transfer-Encoding") == "chunked")
            #expect(whole.headers.first(name: "Content-Length") == nil)
            #expect(whole.body.count == 3 << 20)
            #expect(try whole.json()["kind"] as? String == "Config")

            try harness.simulator.setFault(.oversizedBody(bytes: Fault.defaultOversizedBytes), forCluster: TestData.internalCluster)
            var request = HTTPClientRequest(url: harness.simulator.apiEndpoint.absoluteString + path)
            request.method = .POST
            request.headers.add(name: "X-Auth-Token", value: TestData.staticToken)
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: #"{"duration": 30}"#))
            let response = try await harness.client.execute(request, timeout: .seconds(120))
            await #expect(throws: NIOTooManyBytesError.self) { _ = try await response.body.collect(upTo: 1 << 20) }
        }
    }

    @Test func wrongShapeIsValidJSONWithClustersAsAnObject() async throws {
        try await SimulatorHarness.with { harness in
            try harness.simulator.setFault(.wrongShape, forCluster: TestData.internalCluster)
            let answer = try await harness.signed(path)
            #expect(answer.status == .ok)
            #expect(try answer.json()["clusters"] is [String: any Sendable])
            #expect(throws: CCECredentialsError.self) { try CCECredentials(parsing: answer.body) }
        }
    }

    @Test func badBase64IsInTheClientCertificateData() async throws {
        try await SimulatorHarness.with { harness in
            try harness.simulator.setFault(.badBase64, forCluster: TestData.internalCluster)
            let answer = try await harness.signed(path)
            #expect(answer.status == .ok)
            let error = try #require(throws: CCECredentialsError.self) { try CCECredentials(parsing: answer.body) }
            #expect(error.problem == .notBase64)
            #expect(error.field.hasSuffix("client-certificate-data"))
        }
    }

    @Test func httpServerFaultAnswersPlainHTTPServers() async throws {
        try await SimulatorHarness.with { harness in
            try harness.simulator.setFault(.plainHTTPServer, forCluster: TestData.externalCluster)
            let answer = try await harness.signed(SimulatorHarness.certPath(TestData.externalCluster))
            #expect(answer.status == .ok)
            #expect(answer.text.contains(#""server":"http://127.0.0.1:"#))
            #expect(answer.text.contains(#""server":"http://127.0.0.2:"#))
            let error = try #require(throws: CCECredentialsError.self) { try CCECredentials(parsing: answer.body) }
            #expect(error.problem == .notHTTPS)
        }
    }

    @Test func hangNeverAnswersUntilTheClientGivesUp() async throws {
        try await SimulatorHarness.with { harness in
            try harness.simulator.setFault(.hang, forCluster: TestData.internalCluster)
            // The client's deadline ends it, not the simulator: it never answers.
            let error = await #expect(throws: HTTPClientError.self) { try await harness.signed(path, timeout: .milliseconds(500)) }
            #expect(error == .deadlineExceeded)
            #expect(harness.simulator.requestCount(forCluster: TestData.internalCluster) == 1)
        }
    }

    @Test func shutdownEndsAHangingRequest() async throws {
        try await SimulatorHarness.with { harness in
            try harness.simulator.setFault(.hang, forCluster: TestData.internalCluster)
            let hanging = Task { try await harness.signed(path, timeout: .seconds(30)) }
            while harness.simulator.requestCount(forCluster: TestData.internalCluster) == 0 {
                try await Task.sleep(for: .milliseconds(20))
            }
            try await Task.sleep(for: .milliseconds(100))
            await harness.simulator.shutdown()
            let error = await #expect(throws: (any Error).self) { try await hanging.value }
            // Ended by the shutdown, not by the request's own 30 s deadline.
            #expect((error as? HTTPClientError) != .deadlineExceeded)
        }
    }

    @Test func faultCanBeClearedAtRunTimeAndComesFromTheConfiguration() async throws {
        var configuration = TestData.configuration
        configuration.clusters[1].fault = .throttled(retryAfterSeconds: 2)
        try await SimulatorHarness.with(configuration) { harness in
            #expect(configuration.clusters[1].clusterID == TestData.internalCluster)
            let throttled = try await harness.signed(path)
            #expect(throttled.status == .tooManyRequests)
            #expect(throttled.headers.first(name: "Retry-After") == "2")
            try harness.simulator.setFault(nil, forCluster: TestData.internalCluster)
            #expect(try await harness.signed(path).status == .ok)
            #expect(harness.simulator.requestCount(forCluster: TestData.internalCluster) == 2)
            #expect(throws: SimulatorError.unknownCluster("nope")) { try harness.simulator.setFault(.hang, forCluster: "nope") }
        }
    }

    @Test func faultsApplyOnlyAfterAuthentication() async throws {
        try await SimulatorHarness.with { harness in
            try harness.simulator.setFault(.internalError, forCluster: TestData.internalCluster)
            try await harness.withToken("MIIunknown", path)
                .expectGatewayError(.unauthorized, "APIGW.0301", containing: "decrypt token fail")
        }
    }
}
