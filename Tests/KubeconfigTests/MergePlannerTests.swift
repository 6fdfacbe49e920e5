import Foundation
import Kubeconfig
import Testing
import YAML

/// The merge contract (``MergePlanner``: only marked entries change, foreign entries and every
/// other key keep their bytes), on the committed kubeconfig fixtures.
@Suite struct MergePlannerTests {
    static let kubectlWritten = "Tests/Fixtures/kubeconfigs/kubectl-written.yaml"
    static let handWritten = "Tests/Fixtures/kubeconfigs/hand-written.yaml"
    static let json = "Tests/Fixtures/kubeconfigs/kubeconfig.json"

    private func cluster(
        _ name: String,
        answer: String = "config/examples/cce-kubeconfig.json",
        options: EntryOptions = .init()
    ) throws -> ManagedCluster {
        let credentials = try CCECredentials(parsing: try Fixtures.bytes(answer))
        return try ManagedCluster(
            credentials: credentials,
            owner: Ownership(
                watchName: name,
                projectID: "0123456789abcdef0123456789abcdef",
                clusterID: "4e7a9f1c-0000-11ee-8f3a-0255ac100b03"
            ),
            options: options
        )
    }

    private func plan(_ bytes: [UInt8], _ request: MergeRequest) throws -> MergePlan {
        try MergePlanner.plan(request, against: try KubeconfigFile(bytes: bytes))
    }

    private func importing(_ name: String, into bytes: [UInt8], answer: String = "config/examples/cce-kubeconfig.json") throws -> [UInt8] {
        try plan(bytes, MergeRequest(upserts: [try cluster(name, answer: answer)])).result
    }

    /// The result with every inserted piece cut out again: equal to the original exactly when
    /// the plan only inserted, and changed no byte around its insertions.
    private func removingInsertions(_ plan: MergePlan) -> [UInt8] {
        var output: [UInt8] = []
        var resultPosition = 0
        var originalPosition = 0
        for edit in plan.edits.sorted(by: { $0.range.lowerBound < $1.range.lowerBound }) {
            let unchanged = edit.range.lowerBound - originalPosition
            output += plan.result[resultPosition..<(resultPosition + unchanged)]
            resultPosition += unchanged + edit.replacement.count
            originalPosition = edit.range.lowerBound
        }
        output += plan.result[resultPosition...]
        return output
    }

    // MARK: Byte identity

    @Test(arguments: [kubectlWritten, handWritten, json])
    func firstImportOnlyInsertsAndKeepsEveryOtherByte(fixture: String) throws {
        let original = try Fixtures.bytes(fixture)
        let plan = try plan(original, MergeRequest(upserts: [try cluster("prod")]))
        #expect(plan.method == .spliced)
        #expect(plan.edits.allSatisfy { $0.range.isEmpty })
        let outsideUnchanged = removingInsertions(plan) == original
        #expect(outsideUnchanged)
        #expect(plan.changes.count == 5)
    }

    @Test(arguments: [kubectlWritten, handWritten, json])
    func removeAfterImportRestoresTheOriginalBytes(fixture: String) throws {
        let original = try Fixtures.bytes(fixture)
        let imported = try importing("prod", into: original)
        let removed = try plan(imported, MergeRequest(removals: ["prod"]))
        let restored = removed.result == original
        #expect(restored)
        #expect(Set(removed.changes.map(\.action)) == [.remove])
    }

    @Test(arguments: [kubectlWritten, handWritten, json])
    func renewalReplacesOnlyTheUserEntry(fixture: String) throws {
        let imported = try importing("prod", into: try Fixtures.bytes(fixture))
        let renewal = try plan(imported, MergeRequest(upserts: [try cluster("prod", answer: "Tests/Fixtures/cce/renewed.json")]))
        #expect(renewal.changes == [.init(section: .users, name: "prod", action: .replace)])
        let renewed = try KubeconfigFile(bytes: renewal.result)
        let certificate = try #require(
            renewed.entries(.users).first { $0.name == "prod" }?.node["user"]?["client-certificate-data"]?.scalarValue
        )
        #expect(CertificateValidity(base64PEM: certificate)?.notAfter == ISO8601DateFormatter().date(from: "2036-06-01T00:00:00Z"))
        let edit = try #require(renewal.edits.first)
        let sameBefore = Array(renewal.result[..<edit.range.lowerBound]) == Array(imported[..<edit.range.lowerBound])
        let sameAfter = Array(renewal.result.suffix(imported.count - edit.range.upperBound)) == Array(imported[edit.range.upperBound...])
        #expect(sameBefore && sameAfter)
    }

    @Test func jsonFileStaysJSONWithEveryForeignEntry() throws {
        let original = try KubeconfigFile(bytes: try Fixtures.bytes(Self.json))
        let result = try KubeconfigFile(bytes: try importing("prod", into: original.bytes))
        #expect(result.root?.collectionStyle == .flow)
        let parsedAsJSON = try JSONSerialization.jsonObject(with: Data(result.bytes)) as? [String: Any]
        #expect((parsedAsJSON?["contexts"] as? [Any])?.count == original.entries(.contexts).count + 2)
        for section in KubeconfigSection.allCases {
            let foreign = result.entries(section).filter { $0.owner == nil }
            #expect(foreign.map(\.name) == original.entries(section).map(\.name))
            #expect(zip(foreign, original.entries(section)).allSatisfy { $0.node.hasSameValue(as: $1.node) })
        }
    }

    @Test func prettyJSONGetsNewEntriesInItsOwnIndentation() throws {
        let result = String(decoding: try importing("prod", into: try Fixtures.bytes(Self.json)), as: UTF8.self)
        #expect(result.contains("},\n        {\n            \"name\": \"prod-internal\",\n            \"cluster\": {\n"))
    }

    @Test(arguments: [
        "{\"apiVersion\":\"v1\",\"clusters\":[{\"name\":\"a\",\"cluster\":{\"server\":\"https://a\"}}],\"contexts\":[],\"users\":null}",
        "{\"kind\": \"Config\"}",
        "{\n  \"kind\": \"Config\",\n  \"clusters\": [\n  ]\n}\n",
    ])
    func jsonOfEveryShapeStaysValidJSON(original: String) throws {
        let imported = try plan(Array(original.utf8), MergeRequest(upserts: [try cluster("prod")]))
        #expect(imported.method == .spliced)
        let object = try JSONSerialization.jsonObject(with: Data(imported.result)) as? [String: Any]
        #expect((object?["contexts"] as? [Any])?.count == 2)
        let removed = try plan(imported.result, MergeRequest(removals: ["prod"])).result
        #expect(try JSONSerialization.jsonObject(with: Data(removed)) is [String: Any])
        #expect(try KubeconfigFile(bytes: removed).managedWatchNames.isEmpty)
    }

    @Test func blockFileWithAFlowListIsReemittedKeepingEveryForeignEntry() throws {
        let original = "apiVersion: v1\nclusters: [{name: a, cluster: {server: \"https://a\"}}]\ncurrent-context: a\n"
        let imported = try plan(Array(original.utf8), MergeRequest(upserts: [try cluster("prod")]))
        #expect(imported.method == .reemitted)
        let file = try KubeconfigFile(bytes: imported.result)
        #expect(file.entries(.clusters).map(\.name) == ["a", "prod-internal", "prod-external"])
        #expect(file.root?["current-context"]?.scalarValue == "a")
    }

    /// Found by fuzzing: libyaml would write this tag as `!!in,`, which ends at the comma.
    @Test func aFlowListWithATagLibyamlCannotWriteIsRefusedNamingTheTag() throws {
        let original = "apiVersion: v1\nclusters: [{name: a, cluster: {server: !<tag:yaml.org,2002:in,> x}}]\n"
        let error = try #require(throws: KubeconfigError.self) {
            try plan(Array(original.utf8), MergeRequest(upserts: [try cluster("prod")]))
        }
        #expect(error == .notRewritable(.unwritableTag("tag:yaml.org,2002:in,")))
        #expect(error.description.contains("<tag:yaml.org,2002:in,>"))
        #expect(error.description.hasSuffix("nothing was written"))
    }

    @Test func removingEveryEntryOfAJSONListLeavesAnEmptyList() throws {
        let imported = try importing("prod", into: Array("{\"clusters\": [], \"users\": [], \"contexts\": []}".utf8))
        let removed = String(decoding: try plan(imported, MergeRequest(removals: ["prod"])).result, as: UTF8.self)
        #expect(removed == "{\"clusters\": [], \"users\": [], \"contexts\": []}")
    }

    // MARK: Naming and content

    @Test func entriesAreNamedAfterTheWatchNameAndMarked() throws {
        let file = try KubeconfigFile(bytes: try importing("prod", into: []))
        #expect(file.entries(.clusters).map(\.name) == ["prod-internal", "prod-external"])
        #expect(file.entries(.contexts).map(\.name) == ["prod-internal", "prod-external"])
        #expect(file.entries(.users).map(\.name) == ["prod"])
        let owners = KubeconfigSection.allCases.flatMap { file.entries($0).map(\.owner) }
        #expect(
            owners.allSatisfy {
                $0
                    == Ownership(
                        watchName: "prod",
                        projectID: "0123456789abcdef0123456789abcdef",
                        clusterID: "4e7a9f1c-0000-11ee-8f3a-0255ac100b03"
                    )
            }
        )
        let context = try #require(file.entries(.contexts).first?.node["context"])
        #expect(context["cluster"]?.scalarValue == "prod-internal")
        #expect(context["user"]?.scalarValue == "prod")
    }

    @Test func externalEndpointKeepsTheInsecureFlagByDefault() throws {
        let file = try KubeconfigFile(bytes: try importing("prod", into: []))
        let external = try #require(file.entries(.clusters).last?.node["cluster"])
        #expect(external["insecure-skip-tls-verify"]?.scalarValue == "true")
        #expect(external["certificate-authority-data"] == nil)
    }

    @Test func verifiedExternalModeUsesTheClusterCAAndInternalHost() throws {
        let managed = try cluster("prod", options: EntryOptions(externalTLS: .verify))
        let file = try KubeconfigFile(bytes: try plan([], MergeRequest(upserts: [managed])).result)
        let external = try #require(file.entries(.clusters).last?.node["cluster"])
        #expect(external["insecure-skip-tls-verify"] == nil)
        #expect(external["tls-server-name"]?.scalarValue == "192.168.0.10")  // the fixture's VPC address: data only, never connected to
        #expect(
            external["certificate-authority-data"]?.scalarValue
                == file.entries(.clusters).first?.node["cluster"]?["certificate-authority-data"]?.scalarValue
        )
    }

    @Test func endpointFilterWritesOnlyTheChosenEndpoints() throws {
        let managed = try cluster("prod", options: EntryOptions(endpoints: ["external"]))
        let file = try KubeconfigFile(bytes: try plan([], MergeRequest(upserts: [managed])).result)
        #expect(file.entries(.contexts).map(\.name) == ["prod-external"])
    }

    @Test func endpointFilterMatchingNothingIsAnError() throws {
        #expect(throws: ManagedClusterError.self) { try cluster("prod", options: EntryOptions(endpoints: ["public"])) }
    }

    @Test func endpointThatDisappearsIsRemoved() throws {
        let imported = try importing("prod", into: try Fixtures.bytes(Self.kubectlWritten))
        let plan = try plan(
            imported,
            MergeRequest(upserts: [try cluster("prod", answer: "config/examples/cce-kubeconfig-internal-only.json")])
        )
        #expect(
            Set(plan.changes) == [
                .init(section: .clusters, name: "prod-external", action: .remove),
                .init(section: .contexts, name: "prod-external", action: .remove),
            ]
        )
    }

    // MARK: Idempotence and what is never touched

    @Test(arguments: [kubectlWritten, handWritten, json])
    func secondIdenticalImportChangesNothing(fixture: String) throws {
        let imported = try importing("prod", into: try Fixtures.bytes(fixture))
        let again = try plan(imported, MergeRequest(upserts: [try cluster("prod")]))
        #expect(again.isEmpty)
        let unchanged = again.result == imported
        #expect(unchanged)
    }

    @Test func entriesKubectlRewroteInItsOwnStyleAreStillUpToDate() throws {
        let imported = try KubeconfigFile(bytes: try importing("prod", into: []))
        // kubectl sorts keys (`name` last) and re-quotes: the same values, other bytes.
        let rewritten = try YAMLEmitter().emit(try #require(imported.root).kubectlStyled())
        let differs = rewritten != imported.bytes
        #expect(differs)
        #expect(try plan(rewritten, MergeRequest(upserts: [try cluster("prod")])).isEmpty)
    }

    @Test func currentContextAndPreferencesAreNeverChanged() throws {
        let original = try KubeconfigFile(bytes: try Fixtures.bytes(Self.handWritten))
        let result = try KubeconfigFile(bytes: try importing("prod", into: original.bytes))
        for key in ["current-context", "preferences", "extensions", "apiVersion", "kind"] {
            let before = try #require(original.root?[key], "\(key)")
            let after = try #require(result.root?[key], "\(key)")
            #expect(after.hasSameValue(as: before), "\(key)")
        }
    }

    @Test func namespaceSetOnAManagedContextSurvivesARenewal() throws {
        var text = try String(decoding: importing("prod", into: []), as: UTF8.self)
        text = text.replacingOccurrences(of: "    user: prod\n", with: "    user: prod\n    namespace: payments\n")
        let renewed = try plan(Array(text.utf8), MergeRequest(upserts: [try cluster("prod", answer: "Tests/Fixtures/cce/renewed.json")]))
        #expect(renewed.changes == [.init(section: .users, name: "prod", action: .replace)])
        let file = try KubeconfigFile(bytes: renewed.result)
        #expect(file.entries(.contexts).allSatisfy { $0.node["context"]?["namespace"]?.scalarValue == "payments" })
    }

    @Test func twoResultsForOneWatchNameWriteTheLastOnce() throws {
        let plan = try plan(
            [],
            MergeRequest(upserts: [try cluster("prod"), try cluster("prod", answer: "Tests/Fixtures/cce/renewed.json")])
        )
        let file = try KubeconfigFile(bytes: plan.result)
        #expect(file.entries(.users).map(\.name) == ["prod"])
        let certificate = try #require(file.entries(.users).first?.node["user"]?["client-certificate-data"]?.scalarValue)
        #expect(CertificateValidity(base64PEM: certificate)?.notAfter == ISO8601DateFormatter().date(from: "2036-06-01T00:00:00Z"))
    }

    @Test func removingOneWatchNameLeavesTheOthers() throws {
        let both = try importing("staging", into: try importing("prod", into: try Fixtures.bytes(Self.kubectlWritten)))
        let file = try KubeconfigFile(bytes: try plan(both, MergeRequest(removals: ["prod"])).result)
        #expect(file.managedWatchNames == ["staging"])
    }

    // MARK: Conflicts

    @Test func foreignEntryWithAWantedNameIsAConflictAndNothingChanges() throws {
        let original = try Fixtures.bytes("Tests/Fixtures/kubeconfigs/bad/conflict-prod-internal.yaml")
        let plan = try plan(original, MergeRequest(upserts: [try cluster("prod")]))
        let unchanged = plan.result == original
        #expect(unchanged)
        let conflict = try #require(plan.conflicts.first)
        #expect(conflict.entries.map(\.name) == ["prod-internal", "prod-internal"])
        #expect(conflict.entries.map(\.location?.line) == [3, 12])
        #expect(conflict.description.contains("context \"prod-internal\" is not managed by cce-kubeconfigd"))
    }

    @Test func conflictSkipsOnlyThatClusterAndTheOthersAreWritten() throws {
        let original = try Fixtures.bytes("Tests/Fixtures/kubeconfigs/bad/conflict-prod-internal.yaml")
        let plan = try plan(original, MergeRequest(upserts: [try cluster("prod"), try cluster("dev")]))
        #expect(plan.conflicts.map(\.watchName) == ["prod"])
        #expect(try KubeconfigFile(bytes: plan.result).managedWatchNames == ["dev"])
    }

    @Test func entryManagedForAnotherWatchNameIsAConflict() throws {
        let imported = try String(decoding: importing("prod", into: []), as: UTF8.self)
        let renamed = imported.replacingOccurrences(of: "watch-name: prod", with: "watch-name: other")
        let plan = try plan(Array(renamed.utf8), MergeRequest(upserts: [try cluster("prod")]))
        #expect(plan.conflicts.first?.entries.allSatisfy { $0.ownerWatchName == "other" } == true)
    }

    // MARK: Shapes of files

    @Test func emptyFileBecomesAKubeconfigKubectlCanRead() throws {
        let file = try KubeconfigFile(bytes: try importing("prod", into: []))
        #expect(file.root?["apiVersion"]?.scalarValue == "v1")
        #expect(file.root?["kind"]?.scalarValue == "Config")
        #expect(file.root?["current-context"]?.scalarValue == "")
    }

    @Test func commentsOnlyFileKeepsItsComments() throws {
        let result = try importing("prod", into: Array("# my notes\n".utf8))
        #expect(String(decoding: result, as: UTF8.self).hasPrefix("# my notes\napiVersion: v1\n"))
    }

    @Test func missingListsAreAppendedAtTheEnd() throws {
        let original = "apiVersion: v1\nkind: Config\ncurrent-context: x # keep\n"
        let result = String(decoding: try importing("prod", into: Array(original.utf8)), as: UTF8.self)
        #expect(result.hasPrefix(original))
        #expect(try KubeconfigFile(bytes: Array(result.utf8)).entries(.contexts).count == 2)
    }

    @Test func fileWithoutFinalLineBreakGetsOneBeforeNewLines() throws {
        let original = "apiVersion: v1\nclusters:\n- name: a\n  cluster:\n    server: https://a"
        let result = String(decoding: try importing("prod", into: Array(original.utf8)), as: UTF8.self)
        #expect(result.hasPrefix(original + "\n- name: prod-internal\n"))
    }

    @Test(arguments: ["clusters: []", "clusters:", "clusters: null", "clusters: ~ # none yet"])
    func emptyListIsFilledInPlace(spelling: String) throws {
        let original = "apiVersion: v1\n\(spelling)\ncontexts: []\nusers: []\ncurrent-context: \"\"\n"
        let result = try KubeconfigFile(bytes: try importing("prod", into: Array(original.utf8)))
        #expect(result.entries(.clusters).map(\.name) == ["prod-internal", "prod-external"])
        #expect(result.root?.pairs?.map(\.key.scalarValue) == ["apiVersion", "clusters", "contexts", "users", "current-context"])
    }

    @Test func twoSpaceListIndentationIsFollowed() throws {
        let original = "clusters:\n  - name: a\n    cluster:\n      server: https://a\n"
        let result = String(decoding: try importing("prod", into: Array(original.utf8)), as: UTF8.self)
        #expect(result.contains("\n  - name: prod-internal\n    cluster:\n      server: https://192.168.0.10:5443\n"))  // the fixture's VPC address: data only, never connected to
        #expect(result.contains("\n      extensions:\n        - name: cce-kubeconfigd\n"))
    }

    @Test func multiByteCharactersBeforeTheEntriesDoNotShiftSplices() throws {
        let original = "# Zürich 日本 ✓\napiVersion: v1\nclusters:\n- name: café\n  cluster:\n    server: https://ü.example\n"
        let bytes = Array(original.utf8)
        let imported = try importing("prod", into: bytes)
        let keptPrefix = Array(imported.prefix(bytes.count)) == bytes
        #expect(keptPrefix)
        let removed = String(decoding: try plan(imported, MergeRequest(removals: ["prod"])).result, as: UTF8.self)
        #expect(removed == original + "users:\ncontexts:\n")
    }

    @Test func fileLargerThanTheFullCheckLimitIsSplicedAndRestoredExactly() throws {
        let data = String(repeating: "QUJD", count: 1_000)
        let entries = (0..<300).map {
            "- cluster:\n    certificate-authority-data: \(data)\n    server: https://10.0.0.\($0 % 250):6443\n  name: c\($0)\n"
        }
        let original = Array(("apiVersion: v1\nclusters:\n" + entries.joined() + "kind: Config\n").utf8)
        #expect(original.count > 1 << 20)
        let imported = try plan(original, MergeRequest(upserts: [try cluster("prod")]))
        #expect(imported.method == .spliced)
        let outsideUnchanged = removingInsertions(imported) == original
        #expect(outsideUnchanged)
        let file = try KubeconfigFile(bytes: imported.result)
        #expect(file.managedWatchNames == ["prod"])
        #expect(file.entries(.clusters).count == 302)
        let restored = try plan(imported.result, MergeRequest(removals: ["prod"])).result
        let expected = String(decoding: original, as: UTF8.self) + "users:\ncontexts:\n"
        let same = String(decoding: restored, as: UTF8.self) == expected
        #expect(same)
    }

    // MARK: Bad kubeconfigs

    @Test(arguments: [
        ("invalid-yaml.yaml", 10),
        ("duplicate-names.yaml", 11),
        ("multi-document.yaml", 18),
        ("not-a-mapping.yaml", 1),
        ("invalid-utf8.yaml", 5),
    ])
    func badKubeconfigIsRefusedWithItsLine(file: String, line: Int) throws {
        let error = try #require(throws: KubeconfigError.self) {
            try KubeconfigFile(bytes: try Fixtures.bytes("Tests/Fixtures/kubeconfigs/bad/\(file)"))
        }
        #expect(error.description.hasPrefix("\(line):"), "\(error)")
        #expect(error.described(in: "/k").hasPrefix("/k:\(line):"))
    }

    @Test func listThatIsNotAListIsRefused() throws {
        #expect(throws: KubeconfigError.sectionNotAList(.users, at: .init(line: 1, column: 8))) {
            try KubeconfigFile(bytes: Array("users: {a: b}\n".utf8))
        }
    }

    @Test func managedEntryWithAnAliasIsNotRewritten() throws {
        let imported = try String(decoding: importing("prod", into: []), as: UTF8.self)
        let aliased = imported.replacingOccurrences(of: "client-key-data: ", with: "client-key-data: &key ") + "x: *key\n"
        #expect(throws: KubeconfigError.self) {
            try plan(Array(aliased.utf8), MergeRequest(upserts: [try cluster("prod", answer: "Tests/Fixtures/cce/renewed.json")]))
        }
    }
}

extension YAMLNode {
    /// The node as kubectl would write it: keys sorted, every scalar in the plainest safe style.
    fileprivate func kubectlStyled() -> YAMLNode {
        switch content {
        case .scalar(let text, let style):
            let plain = style == .plain ? PlainScalar.canBeWrittenPlain(text) : PlainScalar.readsBackAsString(text)
            return YAMLNode(.scalar(text, style: plain ? .plain : .singleQuoted))
        case .sequence(let items, _):
            return YAMLNode(.sequence(items.map { $0.kubectlStyled() }, style: .block))
        case .mapping(let pairs, _):
            let sorted = pairs.sorted { ($0.key.scalarValue ?? "") < ($1.key.scalarValue ?? "") }
            return YAMLNode(.mapping(sorted.map { .init(key: $0.key, value: $0.value.kubectlStyled()) }, style: .block))
        case .alias:
            return self
        }
    }
}
