#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Where one cluster's API server listens: what the answer's `server` fields point at.
package struct APIServerEndpoints: Sendable, Hashable {
    /// `https://127.0.0.1:<port>`, for `internalCluster`; the server certificate names this address.
    package var `internal`: URL
    /// `https://127.0.0.2:<port>`, for `externalCluster`; `nil` when the cluster has no external endpoint.
    package var external: URL?

    package init(internal: URL, external: URL?) {
        self.internal = `internal`
        self.external = external
    }
}
