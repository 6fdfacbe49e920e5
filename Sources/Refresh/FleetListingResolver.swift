import CCE
import Fleet
import RefreshCore
import Synchronization
import WatchList

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Turns a watch list that names clusters by their console names, or discovers them, into the
/// clusters the refresh core runs on, by listing projects and clusters with the CCE client.
///
/// A watch list of ids only is returned as it is, without a call. Projects and clusters found by
/// name are remembered (``cache``) and not looked up again until a fetch answers 404
/// (``forget(clusterID:)``); the caller keeps the cache in the state file, so that a restart
/// fetches without listing.
package struct FleetListingResolver: Sendable {
    /// A watch list with its clusters found, and what the listing allows.
    package struct Resolved: Sendable {
        /// The watch list with ``WatchListConfig/clusters`` the listed and discovered clusters;
        /// its `discover:` rules stay, for the next listing.
        package var config: WatchListConfig
        /// `nil` for a watch list of ids only.
        package var listing: FleetListing?
        /// What is wrong in the watch list (a name that matches no cluster, or two), each with
        /// the entry's file:line:column.
        package var problems: [ConfigProblem]
        /// Every cluster resolved, watched or held, for `check-config --discover`.
        package var rows: [FleetResolution.Row]
    }

    package var client: CCEClient
    package var resolver: CredentialResolver
    package var environment: [String: String]
    private let store: CacheStore

    /// - Parameter cache: what earlier runs found, as the state file kept it.
    package init(client: CCEClient, resolver: CredentialResolver, environment: [String: String], cache: ResolutionCache = ResolutionCache())
    {
        self.client = client
        self.resolver = resolver
        self.environment = environment
        self.store = CacheStore(cache)
    }

    /// What the listings found so far, less what was forgotten: for the state file.
    package var cache: ResolutionCache {
        store.cache.withLock { $0 }
    }

    /// Drops the id of a cluster that answered 404, and its project's, so that the next
    /// listing looks its name up again (it may have been re-created under the same name).
    package func forget(clusterID: String) {
        store.cache.withLock { $0.forget(clusterID: clusterID) }
    }

    package func resolve(_ source: WatchListConfig) async -> Resolved {
        guard source.needsFleetListing else {
            return Resolved(config: source, listing: nil, problems: [], rows: [])
        }
        let lister = CCEFleetLister(client: client, resolver: resolver, config: source, environment: environment)
        let start = cache
        let resolution = await FleetDriver(lister: lister).resolve(source, cache: start)
        store.cache.withLock { $0 = resolution.cache.merged(since: start, into: $0) }
        var config = source
        config.clusters = resolution.clusters
        let failures = resolution.failures.map(\.description) + resolution.problems.map(\.description)
        return Resolved(
            config: config,
            listing: FleetListing(pruning: resolution.pruning, failures: failures),
            problems: resolution.problems,
            rows: resolution.rows
        )
    }
}

/// The listings' answers, so that a project or a name is looked up once, not at every listing;
/// shared by the copies of one resolver. Listings may run concurrently (a reload while the
/// daemon lists), and the daemon forgets from its own queue.
private final class CacheStore: Sendable {
    let cache: Mutex<ResolutionCache>

    init(_ cache: ResolutionCache) {
        self.cache = Mutex(cache)
    }
}

/// ``FleetLister`` over the CCE client: projects through IAM, clusters through ListClusters.
struct CCEFleetLister: FleetLister {
    var client: CCEClient
    var resolver: CredentialResolver
    var config: WatchListConfig
    var environment: [String: String]

    func projects(_ query: ProjectQuery) async throws -> [ProjectSummary] {
        let access = try access(query.credentials, region: query.region, cloud: query.cloud, caFile: caFile(for: query))
        do {
            return [try await client.findProject(named: query.name, region: query.region, access: access)]
        } catch  where error.kind == .notFound {
            // IAM answered, and no project has the name: the resolver names the entry (an unknown
            // region, a misspelled sub-project) in one sentence, instead of a failed call.
            return []
        } catch {
            // The resolver's sentence names the call already.
            throw FleetListingError(error.cause)
        }
    }

    func clusters(_ query: ClusterListQuery) async throws -> [ClusterSummary] {
        let access = try access(query.credentials, region: query.region, cloud: query.cloud, caFile: query.caFile)
        let endpoint = try CCEEndpoint.resolve(
            name: "the clusters of \(query.region)",
            endpoint: query.endpoint,
            region: query.region,
            cloud: query.cloud,
            environment: environment
        )
        do {
            return try await client.listClusters(
                region: query.region,
                projectID: query.projectID,
                type: query.type,
                endpoint: endpoint,
                access: access
            )
        } catch {
            throw FleetListingError(error.cause)
        }
    }

    /// The `ca_file` of the entries or rules that need this project: trusted for IAM too.
    private func caFile(for query: ProjectQuery) -> String? {
        let listed = config.unresolved.first { $0.options.credentials == query.credentials && $0.region == query.region }?.options.caFile
        let discovered = config.discovery.first { $0.options.credentials == query.credentials && $0.regions.contains(query.region) }?
            .options.caFile
        return listed ?? discovered
    }

    /// The credential set `name`, resolved anew (a rotated secret file takes effect), and the
    /// region's IAM endpoint: a password set's own, else the SDK's override variable
    /// (`HUAWEICLOUD_SDK_REGION_IAM_CN_NORTH_4`), else the cloud's host for the region.
    private func access(_ name: String, region: String, cloud: Cloud, caFile: String?) throws -> FleetAccess {
        guard let set = config.credentials[name] else {
            throw FleetListingError("credential set \"\(name)\" is not defined")
        }
        let credential = try resolver.resolve(set, named: name, in: config.credentials).credential
        var iamEndpoint: URL?
        if case .password(_, _, _, let endpoint?, _) = set { iamEndpoint = endpoint }
        let variable = "HUAWEICLOUD_SDK_REGION_IAM_" + String(region.uppercased().map { $0 == "-" ? "_" : $0 })
        if iamEndpoint == nil, let value = environment[variable]?.split(separator: ",").first {
            switch ServiceURL.parse(String(value)) {
            case .success(let url): iamEndpoint = url
            case .failure(let problem): throw FleetListingError("environment variable \(variable) \(problem)")
            }
        }
        guard let endpoint = iamEndpoint ?? cloud.iamEndpoint(forRegion: region) else {
            throw FleetListingError("region \(region) has no IAM endpoint")
        }
        return FleetAccess(credentialSet: name, credential: credential, iamEndpoint: endpoint, caFile: caFile)
    }
}

/// Why a listing could not even be asked for; one sentence, no secret.
struct FleetListingError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
