#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What cce-kubeconfigd manages in a kubeconfig, per watch name: for `list` and `status`.
package struct ManagedInventory: Sendable {
    /// One watched cluster as it stands in the file.
    package struct Cluster: Sendable, Hashable, Codable {
        /// A managed context and the server its cluster points at.
        package struct Context: Sendable, Hashable, Codable {
            package var name: String
            package var server: String?
        }

        package var watchName: String
        package var projectID: String?
        package var clusterID: String?
        package var contexts: [Context]
        package var user: String?
        /// When the user's client certificate expires; `nil` when it is missing or unreadable.
        package var clientCertificateNotAfter: Date?
        /// When it was issued; with ``clientCertificateNotAfter`` this gives the lifetime.
        package var clientCertificateNotBefore: Date?
        /// Where the user's credential lives; `nil` without a managed user entry. For ``CredentialMode/exec``
        /// the certificate dates are not in the kubeconfig: the caller adds them from the credential files.
        package var credentialMode: CredentialMode?
    }

    package var clusters: [Cluster]

    package init(_ file: KubeconfigFile) {
        var byName: [String: Cluster] = [:]
        func cluster(for owner: Ownership) -> Cluster {
            byName[owner.watchName]
                ?? Cluster(watchName: owner.watchName, projectID: owner.projectID, clusterID: owner.clusterID, contexts: [])
        }
        for entry in file.entries(.contexts) {
            guard let owner = entry.owner else { continue }
            let clusterName = entry.node["context"]?["cluster"]?.scalarValue
            let server = file.entries(.clusters).first { $0.name == clusterName && $0.owner == owner }?.node["cluster"]?["server"]?
                .scalarValue
            var record = cluster(for: owner)
            record.contexts.append(.init(name: entry.name, server: server))
            byName[owner.watchName] = record
        }
        for entry in file.entries(.users) {
            guard let owner = entry.owner else { continue }
            var record = cluster(for: owner)
            record.user = entry.name
            record.credentialMode = entry.node["user"].map(ExecPlugin.isCredentialPlugin) == true ? .exec : .embed
            let validity = (entry.node["user"]?["client-certificate-data"]?.scalarValue).flatMap(CertificateValidity.init(base64PEM:))
            record.clientCertificateNotAfter = validity?.notAfter
            record.clientCertificateNotBefore = validity?.notBefore
            byName[owner.watchName] = record
        }
        for entry in file.entries(.clusters) {
            guard let owner = entry.owner, byName[owner.watchName] == nil else { continue }
            byName[owner.watchName] = cluster(for: owner)
        }
        clusters = byName.values.sorted { $0.watchName < $1.watchName }
    }
}
