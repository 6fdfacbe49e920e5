/// One update of a kubeconfig: clusters to write (added or brought up to date) and watch names to remove.
package struct MergeRequest: Sendable {
    /// At most one cluster per watch name: of several, the last one given is kept.
    package var upserts: [ManagedCluster]
    /// Watch names whose managed entries are removed.
    package var removals: Set<String>
    /// For a file that is wholly ours (a per-cluster file of `output: files`): the context its
    /// `current-context` names when it is empty or names a context the file does not have, so
    /// that `KUBECONFIG=<that file> kubectl` talks to the cluster. `nil` for a shared kubeconfig,
    /// whose `current-context` is the user's and never touched.
    package var currentContext: String?

    package init(upserts: [ManagedCluster] = [], removals: Set<String> = [], currentContext: String? = nil) {
        var seen: Set<String> = []
        self.upserts = upserts.reversed().filter { seen.insert($0.owner.watchName).inserted }.reversed()
        self.removals = removals
        self.currentContext = currentContext
    }
}

/// The outcome of planning a ``MergeRequest`` against a kubeconfig: what changes, what could
/// not be written, and the new text, already checked.
package struct MergePlan: Sendable {
    /// One entry added, replaced or removed.
    package struct Change: Sendable, Hashable, CustomStringConvertible {
        package enum Action: String, Sendable, Hashable {
            case add = "added"
            case replace = "updated"
            case remove = "removed"
        }

        package var section: KubeconfigSection
        package var name: String
        package var action: Action

        package init(section: KubeconfigSection, name: String, action: Action) {
            self.section = section
            self.name = name
            self.action = action
        }

        package var description: String { "\(action.rawValue) \(section) \"\(name)\"" }
    }

    /// How the new text was made.
    package enum Method: Sendable, Hashable {
        /// Nothing to change: the text is the original.
        case unchanged
        /// Splices: every byte outside the changed entries is the original's.
        case spliced
        /// The whole document re-emitted in its own style (where splicing is not sound: flow lists in a block file).
        case reemitted
        /// A new file (the original held no document).
        case created
    }

    package var changes: [Change]
    /// Clusters not written because foreign entries hold their names.
    package var conflicts: [MergeConflict]
    package var method: Method
    /// The original text.
    package var original: [UInt8]
    /// The new text (equal to ``original`` when nothing changes).
    package var result: [UInt8]
    /// The edits that turn ``original`` into ``result``.
    package var edits: [TextEdit]
    /// The watch names whose entries this plan removes.
    package var removedWatchNames: Set<String> = []
    /// The new `current-context`, when the plan sets it (``MergeRequest/currentContext``).
    package var currentContext: String?

    package var isEmpty: Bool { changes.isEmpty && currentContext == nil }
}

extension MergePlan: CustomStringConvertible, CustomReflectable {
    /// The changes only: the texts hold certificate and key data.
    package var description: String {
        let context = currentContext.map { ", current-context \"\($0)\"" } ?? ""
        return "MergePlan(\(method), \(changes.map(\.description))\(context), conflicts: \(conflicts.map(\.watchName)))"
    }

    package var customMirror: Mirror { Mirror(self, children: [:]) }
}
