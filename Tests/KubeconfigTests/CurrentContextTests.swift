import Kubeconfig
import Testing
import YAML

/// ``MergeRequest/currentContext``: a file that holds one cluster alone (`output: files`) names
/// a context, so `KUBECONFIG=<file> kubectl` works without `--context`; a shared kubeconfig's
/// `current-context` stays the user's.
@Suite struct CurrentContextTests {
    private func cluster(_ name: String = "prod", options: EntryOptions = .init()) throws -> ManagedCluster {
        let credentials = try CCECredentials(parsing: try Fixtures.bytes("config/examples/cce-kubeconfig.json"))
        let owner = Ownership(
            watchName: name,
            projectID: "0123456789abcdef0123456789abcdef",
            clusterID: "4e7a9f1c-0000-11ee-8f3a-0255ac100b03"
        )
        return try ManagedCluster(credentials: credentials, owner: owner, options: options)
    }

    private func alone(_ cluster: ManagedCluster) -> MergeRequest {
        MergeRequest(upserts: [cluster], currentContext: cluster.defaultContextName)
    }

    private func plan(_ text: String, _ request: MergeRequest) throws -> MergePlan {
        try MergePlanner.plan(request, against: try KubeconfigFile(bytes: Array(text.utf8)))
    }

    private func currentContext(of bytes: [UInt8]) throws -> String? {
        try KubeconfigFile(bytes: bytes).root?["current-context"]?.scalarValue
    }

    /// The cluster's file as an earlier version wrote it: every entry in place, no current context.
    private func writtenWithoutCurrentContext(_ cluster: ManagedCluster) throws -> String {
        String(decoding: try MergePlanner.plan(MergeRequest(upserts: [cluster]), against: KubeconfigFile(bytes: [])).result, as: UTF8.self)
    }

    @Test func theDefaultContextIsTheExternalOneWhenItIsWritten() throws {
        #expect(try cluster().defaultContextName == "prod-external")
    }

    @Test func theDefaultContextIsTheInternalOneWhenOnlyItIsWritten() throws {
        #expect(try cluster(options: EntryOptions(endpoints: ["internal"])).defaultContextName == "prod-internal")
    }

    @Test func aNewFileOfOneClusterNamesItsDefaultContext() throws {
        let plan = try plan("", alone(try cluster()))
        #expect(plan.method == .created)
        #expect(try currentContext(of: plan.result) == "prod-external")
    }

    @Test func anEmptyCurrentContextIsSetBySplicingItsValueAlone() throws {
        let cluster = try cluster()
        let old = try writtenWithoutCurrentContext(cluster)
        let plan = try plan(old, alone(cluster))
        #expect(plan.method == .spliced)
        #expect(plan.changes.isEmpty)
        #expect(plan.currentContext == "prod-external")
        #expect(
            String(decoding: plan.result, as: UTF8.self)
                == old.replacingOccurrences(of: "current-context: \"\"", with: "current-context: \"prod-external\"")
        )
    }

    @Test func aCurrentContextWithNoValueGetsOne() throws {
        let cluster = try cluster()
        let old = try writtenWithoutCurrentContext(cluster).replacingOccurrences(of: "current-context: \"\"", with: "current-context:")
        let plan = try plan(old, alone(cluster))
        #expect(try currentContext(of: plan.result) == "prod-external")
    }

    @Test func aContextTheUserChoseIsKept() throws {
        let cluster = try cluster()
        let chosen = try writtenWithoutCurrentContext(cluster).replacingOccurrences(
            of: "current-context: \"\"",
            with: "current-context: prod-internal"
        )
        let plan = try plan(chosen, alone(cluster))
        #expect(plan.isEmpty)
        #expect(plan.method == .unchanged)
    }

    @Test func aCurrentContextNamingNoContextOfTheFileIsReplaced() throws {
        let cluster = try cluster()
        let dangling = try writtenWithoutCurrentContext(cluster).replacingOccurrences(
            of: "current-context: \"\"",
            with: "current-context: gone"
        )
        #expect(try currentContext(of: try plan(dangling, alone(cluster)).result) == "prod-external")
    }

    @Test func aFileWithoutTheKeyIsWrittenAnewWithIt() throws {
        let cluster = try cluster()
        let keyless = try writtenWithoutCurrentContext(cluster).replacingOccurrences(of: "current-context: \"\"\n", with: "")
        let plan = try plan(keyless, alone(cluster))
        #expect(plan.method == .reemitted)
        #expect(try currentContext(of: plan.result) == "prod-external")
    }

    @Test func aJSONFileStaysJSON() throws {
        let json = #"{"apiVersion": "v1", "kind": "Config", "current-context": "", "clusters": [], "contexts": [], "users": []}"#
        let plan = try plan(json, alone(try cluster()))
        #expect(plan.method == .spliced)
        let text = String(decoding: plan.result, as: UTF8.self)
        #expect(text.contains(#""current-context": "prod-external""#))
    }

    @Test func settingItTwiceChangesNothingTheSecondTime() throws {
        let cluster = try cluster()
        let first = try plan(try writtenWithoutCurrentContext(cluster), alone(cluster))
        let second = try plan(String(decoding: first.result, as: UTF8.self), alone(cluster))
        #expect(second.method == .unchanged)
    }

    @Test func aSharedKubeconfigsEmptyCurrentContextIsLeftAlone() throws {
        let cluster = try cluster()
        let plan = try plan(try writtenWithoutCurrentContext(cluster), MergeRequest(upserts: [cluster]))
        #expect(plan.method == .unchanged)
        #expect(try currentContext(of: plan.result) == "")
    }
}
