import Kubeconfig
import YAML

/// The merge under arbitrary input: a kubeconfig text and a CCE answer, each possibly garbage.
///
/// Every step either refuses its input with a message or goes on; a plan that comes out must
/// re-parse, keep every foreign entry and every top-level setting as they were, contain the
/// managed entries it was asked to write, hold no entry of a removed watch name, and change
/// nothing when made a second time against its own result. A `verificationFailed` error is a
/// violation too: the planner's last check caught a bad text, which is a bug even though nothing
/// would be written.
///
/// Input layout (``MergeInput``): one byte of options, then the kubeconfig, a NUL byte, and the
/// CCE answer. Without a NUL the answer is empty, so only the removal half runs.
package enum MergeInvariants {
    /// Checks one input; `nil` when every invariant holds.
    package static func check(_ bytes: [UInt8]) -> FuzzViolation? {
        let input = MergeInput(bytes)
        let file: KubeconfigFile
        do throws(KubeconfigError) {
            file = try KubeconfigFile(bytes: input.kubeconfig)
        } catch {
            return unclear(error.description, "reading the kubeconfig")
        }

        var upserts: [ManagedCluster] = []
        do throws(CCECredentialsError) {
            let credentials = try CCECredentials(parsing: input.answer)
            do throws(ManagedClusterError) {
                upserts = [try ManagedCluster(credentials: credentials, owner: input.owner, options: input.options)]
            } catch {
                if let unclear = unclear(error.description, "naming the entries") { return unclear }
            }
        } catch {
            if let unclear = unclear(error.description, "reading the CCE answer") { return unclear }
        }
        let removals = input.pruneOthers ? Set(file.managedWatchNames).subtracting([input.owner.watchName]) : []
        let request = MergeRequest(upserts: upserts, removals: removals)

        let plan: MergePlan
        do throws(KubeconfigError) {
            plan = try MergePlanner.plan(request, against: file)
        } catch {
            if case .verificationFailed(let reason) = error {
                return FuzzViolation("the planner's final check failed: \(reason)")
            }
            return unclear(error.description, "planning")
        }

        let result: KubeconfigFile
        do throws(KubeconfigError) {
            result = try KubeconfigFile(bytes: plan.result)
        } catch {
            return FuzzViolation("the merged text does not read back: \(error)")
        }
        let written = plan.conflicts.contains { $0.watchName == input.owner.watchName } ? [] : upserts
        let touched = Set(written.map(\.owner.watchName)).union(removals)
        if let violation = foreignEntriesKept(from: file, in: result, touched: touched)
            ?? topLevelKept(from: file, in: result)
            ?? managedEntriesPresent(written, in: result)
            ?? removalsGone(removals, in: result)
        {
            return violation
        }

        do throws(KubeconfigError) {
            let again = try MergePlanner.plan(request, against: result)
            guard again.isEmpty else {
                return FuzzViolation("a second identical merge still changes \(again.changes.map(\.description))")
            }
        } catch {
            return FuzzViolation("a second identical merge fails: \(error)")
        }
        return nil
    }

    /// Traps when ``check(_:)`` finds a violation: the libFuzzer entry point's body.
    package static func run(_ bytes: [UInt8]) {
        if let violation = check(bytes) { violation.trap() }
    }

    /// An error is fine as long as it says something.
    private static func unclear(_ message: String, _ step: String) -> FuzzViolation? {
        message.isEmpty ? FuzzViolation("an error without a message while \(step)") : nil
    }

    private static func foreignEntriesKept(from original: KubeconfigFile, in result: KubeconfigFile, touched: Set<String>) -> FuzzViolation?
    {
        for section in KubeconfigSection.allCases {
            for entry in original.entries(section) where !(entry.owner.map { touched.contains($0.watchName) } ?? false) {
                guard let kept = result.sections[section]?.entry(named: entry.name) else {
                    return FuzzViolation("foreign \(section) \"\(entry.name)\" is gone")
                }
                guard kept.node.hasSameValue(as: entry.node) else {
                    return FuzzViolation("foreign \(section) \"\(entry.name)\" changed")
                }
            }
        }
        return nil
    }

    /// Everything at the top level but the three lists: `current-context`, `preferences`, ...
    private static func topLevelKept(from original: KubeconfigFile, in result: KubeconfigFile) -> FuzzViolation? {
        guard let pairs = original.root?.pairs else { return nil }
        let lists = Set(KubeconfigSection.allCases.map(\.rawValue))
        for pair in pairs {
            guard let key = pair.key.scalarValue, !lists.contains(key) else { continue }
            guard let kept = result.root?[key] else { return FuzzViolation("top-level \"\(key)\" is gone") }
            guard result.document.resolving(kept).hasSameValue(as: original.document.resolving(pair.value)) else {
                return FuzzViolation("top-level \"\(key)\" changed")
            }
        }
        return nil
    }

    private static func managedEntriesPresent(_ clusters: [ManagedCluster], in result: KubeconfigFile) -> FuzzViolation? {
        for cluster in clusters {
            for (section, wanted) in cluster.entries {
                for entry in wanted {
                    guard let found = result.sections[section]?.entry(named: entry.name) else {
                        return FuzzViolation("managed \(section) \"\(entry.name)\" is missing")
                    }
                    guard found.owner?.watchName == cluster.owner.watchName else {
                        return FuzzViolation("managed \(section) \"\(entry.name)\" lost its ownership mark")
                    }
                    // A context may keep the namespace its user set; clusters and users are exact.
                    if section != .contexts, !found.node.hasSameValue(as: entry.node) {
                        return FuzzViolation("managed \(section) \"\(entry.name)\" is not the one asked for")
                    }
                }
            }
        }
        return nil
    }

    private static func removalsGone(_ removals: Set<String>, in result: KubeconfigFile) -> FuzzViolation? {
        for section in KubeconfigSection.allCases {
            if let left = result.entries(section).first(where: { $0.owner.map { removals.contains($0.watchName) } ?? false }) {
                return FuzzViolation("\(section) \"\(left.name)\" of a removed watch name is still there")
            }
        }
        return nil
    }
}

/// How ``MergeInvariants`` reads its bytes: an options byte, then `kubeconfig NUL answer`.
///
/// Options, bit by bit: 0 verified external TLS; 1 the internal endpoint only; 2 prune every
/// other managed watch name in the file; 3–4 the watch name (`fuzz`, `prod`, `a`, `a.b-1`), so
/// that a seed can hold entries that collide with it; 5 a namespace for new contexts; 6 a
/// `proxy-url` on the cluster entries.
package struct MergeInput: Sendable {
    package static let watchNames = ["fuzz", "prod", "a", "a.b-1"]

    package var kubeconfig: [UInt8]
    package var answer: [UInt8]
    package var owner: Ownership
    package var options: EntryOptions
    package var pruneOthers: Bool

    package init(_ bytes: [UInt8]) {
        let flags = bytes.first ?? 0
        let rest = bytes.dropFirst()
        if let separator = rest.firstIndex(of: 0) {
            kubeconfig = Array(rest[..<separator])
            answer = Array(rest[(separator + 1)...])
        } else {
            kubeconfig = Array(rest)
            answer = []
        }
        owner = Ownership(
            watchName: Self.watchNames[Int(flags >> 3) & 3],
            projectID: "0123456789abcdef0123456789abcdef",
            clusterID: "4e7a9f1c-0000-11ee-8f3a-0255ac100b03"
        )
        options = EntryOptions(
            endpoints: flags & 2 != 0 ? ["internal"] : nil,
            externalTLS: flags & 1 != 0 ? .verify : .insecure,
            namespace: flags & 32 != 0 ? "team-a" : nil,
            proxyURL: flags & 64 != 0 ? "socks5://127.0.0.1:1080" : nil
        )
        pruneOthers = flags & 4 != 0
    }
}
