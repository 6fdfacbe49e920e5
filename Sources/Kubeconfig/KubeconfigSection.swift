/// One of the three named lists of a kubeconfig.
package enum KubeconfigSection: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case clusters
    case users
    case contexts

    /// The key of the inner object of each entry: `cluster`, `user` or `context`.
    package var entryKey: String {
        switch self {
        case .clusters: "cluster"
        case .users: "user"
        case .contexts: "context"
        }
    }

    package var description: String { entryKey }
}
