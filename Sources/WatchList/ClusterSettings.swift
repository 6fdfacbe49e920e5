import Kubeconfig

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The keys a cluster shares with `defaults:`, as read from one of those mappings, each
/// checked on its own. A cluster's settings are its own laid over the defaults.
struct ClusterSettings {
    /// `project_id` or `project`, whichever one the mapping gives: a cluster's own project
    /// replaces the default one whichever way each is given.
    var project: Setting<ClusterSpec.Project> = .absent
    var region: Setting<String> = .absent
    var cloud: Setting<Cloud> = .absent
    var credentials: Setting<String> = .absent
    var endpoints: Setting<Set<String>> = .absent
    var endpoint: Setting<URL> = .absent
    var caFile: Setting<String> = .absent
    var api: Setting<WatchedCluster.API> = .absent
    var type: Setting<WatchedCluster.ClusterType> = .absent
    var externalTLS: Setting<EntryOptions.ExternalTLS> = .absent
    var durationDays: Setting<Int> = .absent
    var credentialMode: Setting<CredentialMode> = .absent
    var contextName: Setting<NameTemplate> = .absent
    var namespace: Setting<String> = .absent
    var proxyURL: Setting<URL> = .absent

    /// These settings, each one not given here taken from `defaults`.
    func over(_ defaults: ClusterSettings) -> ClusterSettings {
        ClusterSettings(
            project: project.or(defaults.project),
            region: region.or(defaults.region),
            cloud: cloud.or(defaults.cloud),
            credentials: credentials.or(defaults.credentials),
            endpoints: endpoints.or(defaults.endpoints),
            endpoint: endpoint.or(defaults.endpoint),
            caFile: caFile.or(defaults.caFile),
            api: api.or(defaults.api),
            type: type.or(defaults.type),
            externalTLS: externalTLS.or(defaults.externalTLS),
            durationDays: durationDays.or(defaults.durationDays),
            credentialMode: credentialMode.or(defaults.credentialMode),
            contextName: contextName.or(defaults.contextName),
            namespace: namespace.or(defaults.namespace),
            proxyURL: proxyURL.or(defaults.proxyURL)
        )
    }

    /// Whether a value that is given is wrong (and was reported) among those every cluster uses.
    var hasInvalidOption: Bool {
        cloud.isInvalid || endpoints.isInvalid || endpoint.isInvalid || caFile.isInvalid || api.isInvalid || type.isInvalid
            || externalTLS.isInvalid || durationDays.isInvalid || contextName.isInvalid || namespace.isInvalid || proxyURL.isInvalid
            || credentialMode.isInvalid
    }

    /// The options of a cluster using the credential set `credentials`.
    func options(credentials: String) -> ClusterOptions {
        ClusterOptions(
            cloud: cloud.value ?? .huaweicloud,
            credentials: credentials,
            endpoints: endpoints.value,
            endpoint: endpoint.value,
            caFile: caFile.value,
            api: api.value ?? .post,
            type: type.value ?? .cce,
            externalTLS: externalTLS.value ?? .insecure,
            durationDays: durationDays.value ?? WatchedCluster.defaultDurationDays,
            namespace: namespace.value,
            proxyURL: proxyURL.value,
            credentialMode: credentialMode.value ?? .embed
        )
    }
}
