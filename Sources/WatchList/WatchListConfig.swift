import YAML

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The watch list: which CCE clusters to keep in the kubeconfig, and with which credentials.
///
/// Made only by ``parse(_:path:fileMode:homeDirectory:)`` from the bytes of the config file
/// (or in code); reading the file, its mode and the home directory is the caller's job.
package struct WatchListConfig: Sendable, Hashable {
    /// How often a certificate is fetched at the least, whatever its lifetime: binding or
    /// unbinding an EIP re-issues the endpoints, and only a fetch notices.
    package static let defaultMaxRefresh: Duration = .seconds(24 * 3_600)
    /// The smallest `max_refresh` accepted.
    package static let minimumMaxRefresh: Duration = .seconds(60)
    /// How long one API request may take, connection included, unless `request_timeout` says otherwise.
    package static let defaultRequestTimeout: Duration = .seconds(30)
    /// The `request_timeout` values accepted.
    package static let requestTimeoutRange: ClosedRange<Duration> = .seconds(1) ... .seconds(600)

    /// The kubeconfig to write, `~/` expanded; `nil` leaves the choice to the usual rules
    /// (`$KUBECONFIG`, then `~/.kube/config`).
    package var kubeconfigPath: String?
    /// The credential sets by name.
    package var credentials: [String: CredentialSet]
    /// The clusters of `clusters:` given by both ids, in config order, each with `defaults:` applied.
    package var clusters: [WatchedCluster]
    /// The clusters of `clusters:` that name their cluster or project by name, in config order:
    /// watched once the names are looked up.
    package var unresolved: [ClusterSpec]
    /// `discover:`: the rules that find more clusters to watch by listing whole projects.
    package var discovery: [DiscoveryRule]
    /// `max_refresh`: the longest a certificate is kept before it is fetched again.
    package var maxRefresh: Duration
    /// `request_timeout`: the longest one API request (IAM login or cluster certificate) may take.
    package var requestTimeout: Duration
    /// `output`: one merged kubeconfig, or one file per cluster in ``kubeconfigDirectory``.
    package var output: OutputMode = .merge
    /// `kubeconfig_dir`, `~/` expanded: where `output: files` writes `<watch name>.yaml`; `nil` means `~/.kube/cce`.
    package var kubeconfigDirectory: String?

    package init(
        kubeconfigPath: String? = nil,
        credentials: [String: CredentialSet],
        clusters: [WatchedCluster],
        unresolved: [ClusterSpec] = [],
        discovery: [DiscoveryRule] = [],
        maxRefresh: Duration = defaultMaxRefresh,
        requestTimeout: Duration = defaultRequestTimeout
    ) {
        self.kubeconfigPath = kubeconfigPath
        self.credentials = credentials
        self.clusters = clusters
        self.unresolved = unresolved
        self.discovery = discovery
        self.maxRefresh = maxRefresh
        self.requestTimeout = requestTimeout
    }

    /// Whether every cluster is given by ids, so that nothing needs looking up before fetching.
    package var isResolved: Bool {
        unresolved.isEmpty && discovery.isEmpty
    }

    /// How often the fleet is listed again: the shortest `interval` of the discovery rules;
    /// `nil` without any (names of listed clusters are looked up once, and again after a 404).
    package var discoveryInterval: Duration? {
        discovery.map(\.interval).min()
    }

    /// Parses and validates a config file's bytes.
    ///
    /// - Parameters:
    ///   - path: the file as the user spells it, put in front of every problem and used to
    ///     resolve relative paths inside the config.
    ///   - fileMode: the file's permission bits; secrets written inline are refused unless
    ///     neither group nor others may read the file.
    ///   - homeDirectory: what `~` expands to.
    /// - Throws: ``ConfigProblems`` with every problem found, in source order.
    package static func parse(_ bytes: [UInt8], path: String, fileMode: UInt16, homeDirectory: String) throws(ConfigProblems)
        -> WatchListConfig
    {
        let document: YAMLDocument
        do {
            document = try YAMLParser.parse(bytes)
        } catch {
            throw ConfigProblems(path: path, problems: [ConfigProblem(error)])
        }
        var reader = ConfigReader(
            document: document,
            paths: PathResolver(homeDirectory: homeDirectory, configPath: path),
            fileMode: fileMode
        )
        if let config = reader.read() { return config }
        throw ConfigProblems(path: path, problems: inSourceOrder(reader.problems))
    }

    /// Problems sorted by place (those without one first), each once: a wrong value under
    /// `defaults:` is found again for every cluster that inherits it.
    private static func inSourceOrder(_ problems: [ConfigProblem]) -> [ConfigProblem] {
        var seen: Set<ConfigProblem> = []
        let unique = problems.filter { seen.insert($0).inserted }
        return unique.enumerated().sorted { a, b in
            let left = a.element.location.map { ($0.line, $0.column) } ?? (0, 0)
            let right = b.element.location.map { ($0.line, $0.column) } ?? (0, 0)
            return left != right ? left < right : a.offset < b.offset
        }.map(\.element)
    }
}
