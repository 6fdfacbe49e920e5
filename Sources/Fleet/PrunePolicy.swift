import Kubeconfig

/// Which managed entries no longer belong to the fleet.
///
/// A cluster gone from a successful list is pruned; nothing that a failed list could have
/// shown is. While the config has a problem, nothing is pruned at all: a misspelled name must
/// not remove the entries of the cluster it was meant to name.
package struct PrunePolicy: Sendable, Hashable {
    /// Watch names being watched or held.
    package var kept: Set<String>
    /// Projects whose list failed: their entries stay, whatever their watch name.
    package var keptProjects: Set<String>
    /// Set when a lookup failed before its project was known, or a problem was found.
    package var pruneNothing: Bool

    package init(kept: Set<String>, keptProjects: Set<String> = [], pruneNothing: Bool = false) {
        self.kept = kept
        self.keptProjects = keptProjects
        self.pruneNothing = pruneNothing
    }

    /// Whether the entries carrying `owner`'s mark may be removed.
    package func mayPrune(_ owner: Ownership) -> Bool {
        !pruneNothing && !kept.contains(owner.watchName) && !(owner.projectID.map(keptProjects.contains) ?? false)
    }
}
