/// Where the managed entries are written.
package enum OutputMode: String, Sendable, Hashable, CaseIterable {
    /// Merged into one kubeconfig (`kubeconfig:`, `$KUBECONFIG` or `~/.kube/config`).
    case merge
    /// One kubeconfig per cluster, `<kubeconfig_dir>/<watch name>.yaml`: for `KUBECONFIG` lists,
    /// kubie and kubeswitch.
    case files
}
