#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Kubeconfig

/// One cluster of the watch list: which CCE cluster to fetch, how, and under which name to write it.
public struct WatchedCluster: Sendable, Hashable {
    /// Which cluster-cert call to make.
    public enum API: String, Sendable, Hashable, CaseIterable {
        /// `POST .../clustercert` with the duration in the body: the current API.
        case post
        /// The deprecated `GET` of the same path, for installations that still need it.
        case get
    }

    /// Which CCE product the cluster belongs to; it decides the path prefix.
    public enum ClusterType: String, Sendable, Hashable, CaseIterable {
        /// `/api/v3/...`
        case cce
        /// `/autopilot/v3/...`
        case autopilot
    }

    /// The endpoint names a CCE answer can hold, as accepted by `endpoints:`.
    public static let endpointNames = ManagedCluster.endpointNames
    /// Certificate lifetime when the config sets none: long enough to outlast a weekend with the
    /// daemon stopped, short enough that a leaked kubeconfig soon stops working.
    public static let defaultDurationDays = 7
    /// The lifetimes CCE accepts, besides `-1` (its longest).
    public static let durationDaysRange = 1...1827

    /// The watch name `N`: entries are written as `N-internal`, `N-external` and user `N`.
    public var name: String
    /// The project (per region) in the API path: 32 lowercase hexadecimal digits.
    public var projectID: String
    /// The cluster's UUID.
    public var clusterID: String
    /// The region, from which the CCE endpoint follows; may be absent when `endpoint` is set.
    public var region: String?
    /// The name of the credential set in ``WatchListConfig/credentials``.
    public var credentials: String
    /// Which endpoints to write; `nil` writes every one the answer holds.
    public var endpoints: Set<String>?
    /// A CCE endpoint that replaces the region's.
    public var endpoint: URL?
    /// A CA bundle trusted for the CCE endpoint in addition to the system roots.
    public var caFile: String?
    public var api: API
    public var type: ClusterType
    /// How the external (EIP) context trusts its API server.
    public var externalTLS: EntryOptions.ExternalTLS
    /// The requested certificate lifetime in days: within ``durationDaysRange``, or `-1`.
    public var durationDays: Int
    /// Whether the certificate and key go into the kubeconfig or into credential files behind an exec plugin.
    public var credentialMode: CredentialMode
    /// Whose hosts the APIs live on.
    public var cloud: Cloud
    /// The namespace of each context when it is first written.
    public var namespace: String?
    /// The `proxy-url` of every cluster entry.
    public var proxyURL: URL?
    /// The cluster's name in the console, when the watch list or a discovery gave it.
    public var consoleName: String?

    public init(
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
    public var entryOptions: EntryOptions {
        EntryOptions(endpoints: endpoints, externalTLS: externalTLS, namespace: namespace, proxyURL: proxyURL?.absoluteString)
    }

    /// The ownership mark carried by this cluster's entries.
    public var ownership: Ownership {
        Ownership(watchName: name, projectID: projectID, clusterID: clusterID)
    }
}
