import CCESimulator
import Foundation
import Testing

/// The added response latency that makes the simulator behave like a distant region, for the
/// fleet benchmark. Only lower bounds are checked: a delay that happens, never a duration that
/// must not be exceeded.
@Suite struct LatencyTests {
    @Test func latencyIsReadFromTheFileAndDefaultsToNone() throws {
        let parsed = try SimulatorConfiguration(json: Data(#"{"response_latency_ms": 250}"#.utf8))
        #expect(parsed.responseLatency == .milliseconds(250))
        #expect(try SimulatorConfiguration(json: Data("{}".utf8)).responseLatency == .zero)
    }

    @Test func negativeLatencyIsRefusedAtStart() async throws {
        var configuration = TestData.configuration
        configuration.responseLatency = .milliseconds(-1)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cce-simulator-tests-\(UUID().uuidString)")
        let error = await #expect(throws: SimulatorError.self) { _ = try await CCESimulator.start(configuration, directory: directory) }
        #expect(error?.description.contains("latency") == true, "\(String(describing: error))")
    }

    @Test func everyCCEAnswerWaitsAtLeastTheLatency() async throws {
        var configuration = TestData.configuration
        configuration.responseLatency = .milliseconds(300)
        try await SimulatorHarness.with(configuration) { harness in
            for _ in 0..<2 {
                let clock = ContinuousClock()
                let start = clock.now
                let answer = try await harness.signed(SimulatorHarness.certPath(TestData.internalCluster))
                #expect(clock.now - start >= .milliseconds(300))
                #expect(answer.status == .ok)
            }
        }
    }
}
