/// How well a cluster, or all of them, is kept: what `status` exits with.
///
/// Ordered from good to bad, so the overall health is the worst of the clusters'.
package enum StatusHealth: String, Sendable, Hashable, Codable, Comparable, CaseIterable {
    /// A valid certificate and no failure since the last success.
    case fresh
    /// A valid certificate, but refreshing it fails or is being retried.
    case degraded
    /// No valid certificate in the kubeconfig: expired, missing or unreadable. kubectl fails.
    case expired

    /// `status`'s exit code: 0 fresh, 1 degraded, 2 expired.
    package var exitCode: Int32 {
        switch self {
        case .fresh: 0
        case .degraded: 1
        case .expired: 2
        }
    }

    package static func < (lhs: StatusHealth, rhs: StatusHealth) -> Bool {
        lhs.exitCode < rhs.exitCode
    }
}
