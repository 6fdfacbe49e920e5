/// One CCE cluster the simulator serves: its ids, its endpoints, the certificates it hands out
/// and, optionally, how its cluster-certificate API misbehaves.
package struct SimulatedCluster: Sendable, Hashable {
    /// Which API family serves the cluster's certificates; asking the other one is a 404.
    package enum ClusterType: String, Sendable, Hashable, Codable {
        /// `/api/v3/projects/{project_id}/clusters/{cluster_id}/clustercert`, POST and the deprecated GET.
        case cce
        /// `/autopilot/v3/projects/{project_id}/clusters/{cluster_id}/clustercert`, POST only.
        case autopilot
    }

    /// How long the client certificates issued for this cluster are valid.
    package enum CertificateLifetime: Sendable, Hashable {
        /// As the request asks (`duration` in days, `-1` or the deprecated GET: five years;
        /// `expire_at`: until then), as CCE does.
        case asRequested
        /// Always this many seconds whatever was asked, so tests can watch certificates expire.
        case seconds(Int)
    }

    /// The 32-hex-digit project id in the cluster's paths.
    package var projectID: String
    /// The cluster id (a UUID at CCE); unique within the simulator.
    package var clusterID: String
    /// Whether the API server has a public address (an EIP): the answer then has
    /// `externalCluster` and `external`, and `current-context` is `external`.
    package var hasExternalEndpoint: Bool
    /// How long issued client certificates live.
    package var certificateLifetime: CertificateLifetime
    /// Which API family (CCE or Autopilot) serves its certificates.
    package var type: ClusterType
    /// The fault the cluster starts with; change it at run time with ``RunningSimulator/setFault(_:forCluster:)``.
    package var fault: Fault?

    package init(
        projectID: String,
        clusterID: String,
        hasExternalEndpoint: Bool = false,
        certificateLifetime: CertificateLifetime = .asRequested,
        type: ClusterType = .cce,
        fault: Fault? = nil
    ) {
        self.projectID = projectID
        self.clusterID = clusterID
        self.hasExternalEndpoint = hasExternalEndpoint
        self.certificateLifetime = certificateLifetime
        self.type = type
        self.fault = fault
    }
}
