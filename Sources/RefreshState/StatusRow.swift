import Kubeconfig
import RefreshCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One cluster in `status`: what the kubeconfig holds for it and what the daemon last did.
package struct StatusRow: Sendable, Hashable {
    /// The watch name.
    package var name: String
    /// The managed contexts in the kubeconfig, in file order; empty when the cluster is not there.
    package var contexts: [String]
    /// `notAfter` of the client certificate in the kubeconfig; `nil` when missing or unreadable.
    package var certificateNotAfter: Date?
    /// The daemon's last successful refresh; `nil` when unknown (no state, or never).
    package var lastRefresh: Date?
    /// The daemon's planned next attempt, else when the renewal policy makes the certificate due.
    package var nextRefresh: Date
    /// The daemon's last error, kept after a later success; ``health`` tells whether it still applies.
    package var lastError: String?
    package var lastErrorAt: Date?
    /// Failures since the last success.
    package var consecutiveFailures: Int
    package var health: StatusHealth
    /// Where the certificate and key live: the config's `credential_mode`, else what the kubeconfig
    /// entry shows; `nil` when neither says.
    package var credentialMode: CredentialMode?
    /// Set while the cluster waits for its credential set's pacer after the API gateway throttled
    /// the set: waiting, not failing.
    package var rateLimited: ClusterState.RateLimitWait?
    /// The cluster's name in the console: the watch list's `cluster:`, else (a discovered cluster)
    /// the name the daemon's last listing found; `nil` for a cluster given by id.
    package var consoleName: String?

    package init(
        name: String,
        contexts: [String],
        certificateNotAfter: Date?,
        lastRefresh: Date?,
        nextRefresh: Date,
        lastError: String?,
        lastErrorAt: Date?,
        consecutiveFailures: Int,
        health: StatusHealth,
        credentialMode: CredentialMode? = nil,
        rateLimited: ClusterState.RateLimitWait? = nil,
        consoleName: String? = nil
    ) {
        self.name = name
        self.contexts = contexts
        self.certificateNotAfter = certificateNotAfter
        self.lastRefresh = lastRefresh
        self.nextRefresh = nextRefresh
        self.lastError = lastError
        self.lastErrorAt = lastErrorAt
        self.consecutiveFailures = consecutiveFailures
        self.health = health
        self.credentialMode = credentialMode
        self.rateLimited = rateLimited
        self.consoleName = consoleName
    }
}

extension StatusRow: Encodable {
    private enum CodingKeys: String, CodingKey {
        case name, contexts, certificateNotAfter, lastRefresh, nextRefresh, lastError, lastErrorAt, consecutiveFailures, health,
            credentialMode, rateLimited, consoleName
    }

    /// Every key is always there, `null` when there is no value, so scripts see one shape.
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(contexts, forKey: .contexts)
        try container.encode(certificateNotAfter, forKey: .certificateNotAfter)
        try container.encode(lastRefresh, forKey: .lastRefresh)
        try container.encode(nextRefresh, forKey: .nextRefresh)
        try container.encode(lastError, forKey: .lastError)
        try container.encode(lastErrorAt, forKey: .lastErrorAt)
        try container.encode(consecutiveFailures, forKey: .consecutiveFailures)
        try container.encode(health, forKey: .health)
        try container.encode(credentialMode, forKey: .credentialMode)
        try container.encode(rateLimited, forKey: .rateLimited)
        try container.encode(consoleName, forKey: .consoleName)
    }
}
