import Kubeconfig

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One cluster of the watch list: which CCE cluster to fetch, how, and under which name to write it.
@dynamicMemberLookup
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
    /// The cluster's name in the console, when the watch list or a discovery gave it.
    package var consoleName: String?
    /// How it is fetched and written (`defaults:` applied); read and set through the cluster
    /// (`cluster.credentials`), so that an option is declared once, in ``ClusterOptions``.
    package var options: ClusterOptions

    /// The resolved cluster: ids found, options as the watch list gives them.
    package init(name: String, projectID: String, clusterID: String, region: String?, consoleName: String? = nil, options: ClusterOptions) {
        self.name = name
        self.projectID = projectID
        self.clusterID = clusterID
        self.region = region
        self.consoleName = consoleName
        self.options = options
    }

    package subscript<Value>(dynamicMember option: WritableKeyPath<ClusterOptions, Value>) -> Value {
        get { options[keyPath: option] }
        set { options[keyPath: option] = newValue }
    }

    package subscript<Value>(dynamicMember option: KeyPath<ClusterOptions, Value>) -> Value {
        options[keyPath: option]
    }

    /// The ownership mark carried by this cluster's entries.
    package var ownership: Ownership {
        Ownership(watchName: name, projectID: projectID, clusterID: clusterID)
    }
}
