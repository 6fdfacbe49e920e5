import Kubeconfig

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One cluster of the watch list: which CCE cluster to fetch, how, and under which name to write it.
package struct WatchedCluster: Sendable, Hashable {
    /// Which cluster-cert call to make.
    package enum API: String, Sendable, Hashable, CaseIterable {
        /// `POST .../clustercert` with the duration in the body: the current API.
        case post
        /// The deprecated `GET` of the same path, for installations that still need it.
        case get
    }

    /// Which CCE product the cluster belongs to; it decides the path prefix.
    package enum ClusterType: String, Sendable, Hashable, CaseIterable {
        /// `/api/v3/...`
        case cce
        /// `/autopilot/v3/...`
        case autopilot
    }

    /// The endpoint names a CCE answer can hold, as accepted by `endpoints:`.
    package static let endpointNames = ManagedCluster.endpointNames
    /// Certificate lifetime when the config sets none: long enough to outlast a weekend with the
    /// daemon stopped, short enough that a leaked kubeconfig soon stops working.
    package static let defaultDurationDays = 7
    /// The lifetimes CCE accepts, besides `-1` (its longest).
    package static let durationDaysRange = 1...1827

    /// The watch name `N`: entries are written as `N-internal`, `N-external` and user `N`.
    package var name: String
    /// The project (per region) in the API path: 32 lowercase hexadecimal digits.
    package var projectID: String
    /// The cluster's UUID.
    package var clusterID: String
    /// The region, from which the CCE endpoint follows; may be absent when `endpoint` is set.
    package var region: String?
    /// The name of the credential set in ``WatchListConfig/credentials``.
    package var credentials: String
    /// Which endpoints to write; `nil` writes every one the answer holds.
    package var endpoints: Set<String>?
    /// A CCE endpoint that replaces the region's.
    package var endpoint: URL?
    /// A CA bundle trusted for the CCE endpoint in addition to the system roots.
    package var caFile: String?
    package var api: API
    package var type: ClusterType
    /// How the external (EIP) context trusts its API server.
    package var externalTLS: EntryOptions.ExternalTLS
    /// The requested certificate lifetime in days: within ``durationDaysRange``, or `-1`.
    package var durationDays: Int
    /// Whether the certificate and key go into the kubeconfig or into credential files behind an exec plugin.
    package var credentialMode: CredentialMode
    /// Whose hosts the APIs live on.
    package var cloud: Cloud
    /// The namespace of each context when it is first written.
    package var namespace: String?
    /// The `proxy-url` of every cluster entry.
    package var proxyURL: URL?
    /// The cluster's name in the console, when the watch list or a discovery gave it.
    package var consoleName: String?

    package init(
        name: String,
        projectID: String,
        clusterID: String,
        region: String?,
        credentials: String,
        endpoints: Set<String>? = nil,
        endpoint: URL? = nil,
        caFile: String? = nil,
        api: API = .post,
        type: ClusterType = .cce,
        externalTLS: EntryOptions.ExternalTLS = .insecure,
        durationDays: Int = defaultDurationDays,
        credentialMode: CredentialMode = .embed,
        cloud: Cloud = .huaweicloud,
        namespace: String? = nil,
        proxyURL: URL? = nil,
        consoleName: String? = nil
    ) {
        self.name = name
        self.projectID = projectID
        self.clusterID = clusterID
        self.region = region
        self.credentials = credentials
        self.endpoints = endpoints
        self.endpoint = endpoint
        self.caFile = caFile
        self.api = api
        self.type = type
        self.externalTLS = externalTLS
        self.durationDays = durationDays
        self.credentialMode = credentialMode
        self.cloud = cloud
        self.namespace = namespace
        self.proxyURL = proxyURL
        self.consoleName = consoleName
    }

    /// How this cluster's entries are written into the kubeconfig.
    package var entryOptions: EntryOptions {
        EntryOptions(endpoints: endpoints, externalTLS: externalTLS, namespace: namespace, proxyURL: proxyURL?.absoluteString)
    }

    /// The ownership mark carried by this cluster's entries.
    package var ownership: Ownership {
        Ownership(watchName: name, projectID: projectID, clusterID: clusterID)
    }
}
