import Foundation
import FuzzHarness
import Testing

/// Every committed fuzz seed passes its check, so the default test run guards what fuzzing once
/// found (reproducers are added to the corpus once fixed) without needing libFuzzer.
@Suite struct SeedCorpusTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz/corpus")

    static func seeds(_ target: String) -> [String] {
        let directory = corpus.appendingPathComponent(target)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted()
    }

    private func bytes(_ target: String, _ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: Self.corpus.appendingPathComponent(target).appendingPathComponent(name)))
    }

    @Test func bothCorporaHaveSeeds() {
        #expect(Self.seeds("yaml").count >= 10)
        #expect(Self.seeds("merge").count >= 10)
    }

    @Test(arguments: seeds("yaml"))
    func yamlSeedRoundTrips(_ name: String) throws {
        let violation = YAMLRoundTrip.check(try bytes("yaml", name))
        #expect(violation == nil, "\(name): \(violation.map(\.description) ?? "")")
    }

    @Test(arguments: seeds("merge"))
    func mergeSeedKeepsTheInvariants(_ name: String) throws {
        let violation = MergeInvariants.check(try bytes("merge", name))
        #expect(violation == nil, "\(name): \(violation.map(\.description) ?? "")")
    }

    /// The checks are not vacuous: a file with a merge to do passes through every step.
    @Test func aRealMergeSeedIsParsedAndMerged() throws {
        let input = MergeInput(try bytes("merge", "kubectl-written-import"))
        #expect(input.answer.count > 1000)
        #expect(String(decoding: input.kubeconfig, as: UTF8.self).contains("clusters:"))
    }
}
