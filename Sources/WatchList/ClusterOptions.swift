import Kubeconfig

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// How a cluster is fetched and written, whatever names it: what a listed cluster and every
/// cluster a discovery rule finds share, `defaults:` already applied. A new option is added
/// here (and to the reader); ``WatchedCluster`` lets it be read as its own.
package struct ClusterOptions: Sendable, Hashable {
    /// Whose hosts the APIs live on.
    package var cloud: Cloud
    /// The name of the credential set in ``WatchListConfig/credentials``.
    package var credentials: String
    /// Which endpoints to write; `nil` writes every one the answer holds.
    package var endpoints: Set<String>?
    /// A CCE endpoint that replaces the region's.
    package var endpoint: URL?
    /// A CA bundle trusted for the CCE endpoint in addition to the system roots.
    package var caFile: String?
    package var api: WatchedCluster.API
    package var type: WatchedCluster.ClusterType
    package var externalTLS: EntryOptions.ExternalTLS
    package var durationDays: Int
    /// The namespace of each context when it is first written.
    package var namespace: String?
    /// The `proxy-url` of every cluster entry.
    package var proxyURL: URL?
    /// Whether the certificate and key go into the kubeconfig or into credential files behind an exec plugin.
    package var credentialMode: CredentialMode

    package init(
        cloud: Cloud = .huaweicloud,
        credentials: String,
        endpoints: Set<String>? = nil,
        endpoint: URL? = nil,
        caFile: String? = nil,
        api: WatchedCluster.API = .post,
        type: WatchedCluster.ClusterType = .cce,
        externalTLS: EntryOptions.ExternalTLS = .insecure,
        durationDays: Int = WatchedCluster.defaultDurationDays,
        namespace: String? = nil,
        proxyURL: URL? = nil,
        credentialMode: CredentialMode = .embed
    ) {
        self.cloud = cloud
        self.credentials = credentials
        self.endpoints = endpoints
        self.endpoint = endpoint
        self.caFile = caFile
        self.api = api
        self.type = type
        self.externalTLS = externalTLS
        self.durationDays = durationDays
        self.namespace = namespace
        self.proxyURL = proxyURL
        self.credentialMode = credentialMode
    }

    /// How the cluster's entries are written into the kubeconfig.
    package var entryOptions: EntryOptions {
        EntryOptions(endpoints: endpoints, externalTLS: externalTLS, namespace: namespace, proxyURL: proxyURL?.absoluteString)
    }
}
