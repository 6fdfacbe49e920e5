#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Kubeconfig

/// The keys a cluster shares with `defaults:`, as read from one of those mappings, each
/// checked on its own. A cluster's settings are its own laid over the defaults.
struct ClusterSettings {
    var projectID: Setting<String> = .absent
    var region: Setting<String> = .absent
    var credentials: Setting<String> = .absent
    var endpoints: Setting<Set<String>> = .absent
    var endpoint: Setting<URL> = .absent
    var caFile: Setting<String> = .absent
    var api: Setting<WatchedCluster.API> = .absent
    var type: Setting<WatchedCluster.ClusterType> = .absent
    var externalTLS: Setting<EntryOptions.ExternalTLS> = .absent
    var durationDays: Setting<Int> = .absent
    var credentialMode: Setting<CredentialMode> = .absent

    /// These settings, each one not given here taken from `defaults`.
    func over(_ defaults: ClusterSettings) -> ClusterSettings {
        ClusterSettings(
            projectID: projectID.or(defaults.projectID),
            region: region.or(defaults.region),
            credentials: credentials.or(defaults.credentials),
            endpoints: endpoints.or(defaults.endpoints),
            endpoint: endpoint.or(defaults.endpoint),
            caFile: caFile.or(defaults.caFile),
            api: api.or(defaults.api),
            type: type.or(defaults.type),
            externalTLS: externalTLS.or(defaults.externalTLS),
            durationDays: durationDays.or(defaults.durationDays),
            credentialMode: credentialMode.or(defaults.credentialMode)
        )
    }
}
