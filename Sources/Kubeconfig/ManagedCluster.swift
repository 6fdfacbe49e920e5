import YAML

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Which endpoints of a CCE answer become contexts, how the external one is trusted, and what
/// the watch list adds to the entries (a context's first namespace, a proxy for every cluster entry).
package struct EntryOptions: Sendable, Hashable {
    /// How kubectl should trust the external (EIP) endpoint.
    package enum ExternalTLS: String, Sendable, Hashable, CaseIterable {
        /// As CCE hands it out: `insecure-skip-tls-verify: true`.
        case insecure
        /// The cluster CA plus `tls-server-name` set to the internal endpoint's host, which the
        /// API server's certificate is known to cover (the internal context verifies it).
        case verify
    }

    /// The endpoint names to write (`internal`, `external`); `nil` writes every one the answer has.
    package var endpoints: Set<String>?
    package var externalTLS: ExternalTLS
    /// The `namespace` of each context when it is first written; afterwards the context keeps
    /// whatever namespace it has, so one set with `kubectl config set-context` wins.
    package var namespace: String?
    /// The `proxy-url` of every cluster entry: an `http://`, `https://` or `socks5://` proxy
    /// (a bastion or SSH tunnel) through which kubectl reaches the API server.
    package var proxyURL: String?

    package init(endpoints: Set<String>? = nil, externalTLS: ExternalTLS = .insecure, namespace: String? = nil, proxyURL: String? = nil) {
        self.endpoints = endpoints
        self.externalTLS = externalTLS
        self.namespace = namespace
        self.proxyURL = proxyURL
    }
}

/// Everything one watched cluster should have in the kubeconfig: contexts and clusters
/// `N-<endpoint>` and the user `N`, each carrying the ownership mark.
package struct ManagedCluster: Sendable, Hashable {
    /// One entry to write: its name and the whole list item.
    package struct Entry: Sendable, Hashable {
        package var name: String
        package var node: YAMLNode
    }

    /// The endpoints a CCE answer can hold (`internal` for the VPC address, `external` for the
    /// EIP), in the order they are listed.
    package static let endpointNames = ["internal", "external"]

    /// The cluster and context of `watchName` for one endpoint: `N-internal`, `N-external`.
    package static func entryName(watchName: String, endpoint: String) -> String {
        "\(watchName)-\(endpoint)"
    }

    /// The clusters and contexts written for `watchName` when `endpoints` are chosen (`nil`:
    /// every endpoint), in the order they are written; those CCE's answer lacks are left out then.
    package static func entryNames(watchName: String, endpoints: Set<String>?) -> [String] {
        endpointNames.filter { endpoints?.contains($0) ?? true }.map { entryName(watchName: watchName, endpoint: $0) }
    }

    /// The user of `watchName`: `N` itself, shared by every endpoint's context.
    package static func userName(watchName: String) -> String {
        watchName
    }

    package var owner: Ownership
    package var entries: [KubeconfigSection: [Entry]]

    /// The context a kubeconfig of this cluster alone makes current, as CCE's own answer does:
    /// the external one when it is written, else the first (the internal one).
    package var defaultContextName: String? {
        let contexts = entries[.contexts] ?? []
        let external = Self.entryName(watchName: owner.watchName, endpoint: "external")
        return contexts.first { $0.name == external }?.name ?? contexts.first?.name
    }

    /// When the client certificate in these entries stops being valid.
    package var clientCertificate: CertificateValidity

    /// Entries as they are; for tests of code that only carries them.
    package init(owner: Ownership, entries: [KubeconfigSection: [Entry]], clientCertificate: CertificateValidity) {
        self.owner = owner
        self.entries = entries
        self.clientCertificate = clientCertificate
    }

    /// Renames a CCE answer's entries for the watch name in `owner`.
    ///
    /// - Throws: ``ManagedClusterError`` when the endpoint filter leaves nothing, or the verified
    ///   external mode has no CA to verify with.
    package init(credentials: CCECredentials, owner: Ownership, options: EntryOptions = .init()) throws(ManagedClusterError) {
        let watchName = owner.watchName
        let wanted = credentials.endpoints.filter { options.endpoints?.contains($0.name) ?? true }
        guard !wanted.isEmpty else {
            throw .noEndpointSelected(watchName: watchName, available: credentials.endpoints.map(\.name))
        }
        let marks: YAMLNode = .sequence([owner.extensionNode])
        let userName = Self.userName(watchName: watchName)
        var clusters: [Entry] = []
        var contexts: [Entry] = []
        for endpoint in wanted {
            let name = Self.entryName(watchName: watchName, endpoint: endpoint.name)
            var fields: [YAMLNode.Pair] = [.init(key: .string("server"), value: .string(endpoint.server))]
            if endpoint.insecureSkipTLSVerify && options.externalTLS == .verify {
                let verified = credentials.endpoints.first { !$0.insecureSkipTLSVerify && $0.certificateAuthorityData != nil }
                guard let verified, let authority = verified.certificateAuthorityData, let host = URL(string: verified.server)?.host else {
                    throw .nothingToVerifyWith(watchName: watchName, endpoint: endpoint.name)
                }
                fields.append(.init(key: .string("certificate-authority-data"), value: .string(authority)))
                fields.append(.init(key: .string("tls-server-name"), value: .string(host)))
            } else {
                if let authority = endpoint.certificateAuthorityData {
                    fields.append(.init(key: .string("certificate-authority-data"), value: .string(authority)))
                }
                if endpoint.insecureSkipTLSVerify {
                    fields.append(.init(key: .string("insecure-skip-tls-verify"), value: .bool(true)))
                }
            }
            if let proxyURL = options.proxyURL {
                fields.append(.init(key: .string("proxy-url"), value: .string(proxyURL)))
            }
            fields.append(.init(key: .string("extensions"), value: marks))
            clusters.append(
                Entry(name: name, node: .mapping(["name": .string(name), "cluster": YAMLNode(.mapping(fields, style: .block))]))
            )
            var context: [YAMLNode.Pair] = [
                .init(key: .string("cluster"), value: .string(name)), .init(key: .string("user"), value: .string(userName)),
            ]
            if let namespace = options.namespace {
                context.append(.init(key: .string("namespace"), value: .string(namespace)))
            }
            context.append(.init(key: .string("extensions"), value: marks))
            contexts.append(
                Entry(
                    name: name,
                    node: .mapping([
                        "name": .string(name),
                        "context": YAMLNode(.mapping(context, style: .block)),
                    ])
                )
            )
        }
        let user = Entry(
            name: userName,
            node: .mapping([
                "name": .string(userName),
                "user": .mapping([
                    "client-certificate-data": .string(credentials.clientCertificateData),
                    "client-key-data": .string(credentials.clientKeyData),
                    "extensions": marks,
                ]),
            ])
        )
        self.owner = owner
        self.entries = [.clusters: clusters, .users: [user], .contexts: contexts]
        self.clientCertificate = credentials.clientCertificate
    }
}

extension ManagedCluster {
    /// The entries `owner` already has in `file`, as they are: what the daemon restores after an
    /// outside change before it has fetched anything itself. `nil` without a readable client certificate.
    ///
    /// An exec-mode user holds no certificate: its validity is `execCertificate`, read by the
    /// caller from the credential files (`nil` there means `nil` here).
    package init?(existingEntriesOf owner: Ownership, in file: KubeconfigFile, execCertificate: CertificateValidity? = nil) {
        var entries: [KubeconfigSection: [Entry]] = [:]
        for section in KubeconfigSection.allCases {
            entries[section] = file.entries(section).filter { $0.owner?.watchName == owner.watchName }
                .map { Entry(name: $0.name, node: $0.node) }
        }
        guard let user = entries[.users]?.first?.node["user"] else { return nil }
        let embedded = user["client-certificate-data"]?.scalarValue.flatMap(CertificateValidity.init(base64PEM:))
        guard let validity = ExecPlugin.isCredentialPlugin(user) ? execCertificate : embedded else { return nil }
        self.owner = owner
        self.entries = entries
        self.clientCertificate = validity
    }
}

/// Why a CCE answer cannot be turned into entries with the options given.
package enum ManagedClusterError: Error, Sendable, Hashable, CustomStringConvertible {
    case noEndpointSelected(watchName: String, available: [String])
    case nothingToVerifyWith(watchName: String, endpoint: String)

    package var description: String {
        switch self {
        case .noEndpointSelected(let watchName, let available):
            "cluster \"\(watchName)\": none of the selected endpoints is in the CCE answer, which has \(available.joined(separator: ", "))"
        case .nothingToVerifyWith(let watchName, let endpoint):
            "cluster \"\(watchName)\": the \(endpoint) endpoint cannot be verified because the CCE answer has no internal endpoint with a CA"
        }
    }
}

extension ManagedCluster: CustomStringConvertible, CustomReflectable {
    /// Names only: the entries hold certificate and key data.
    package var description: String {
        let names = KubeconfigSection.allCases.map { section in "\(section.rawValue) \((entries[section] ?? []).map(\.name))" }
        return "ManagedCluster(\(owner.watchName): \(names.joined(separator: ", ")))"
    }

    package var customMirror: Mirror { Mirror(self, children: [:]) }
}
