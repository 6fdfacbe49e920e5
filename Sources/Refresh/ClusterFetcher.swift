import CCE
import Kubeconfig
import RefreshCore
import Renewal
import WatchList

/// Fetches one watched cluster's certificate and turns it into the entries it should have.
///
/// Credentials are resolved anew for every fetch, so a rotated secret file or a renewed
/// temporary key takes effect without a reload.
package struct ClusterFetcher: Sendable {
    package var client: CCEClient
    package var resolver: CredentialResolver

    package init(client: CCEClient, resolver: CredentialResolver) {
        self.client = client
        self.resolver = resolver
    }

    package func fetch(_ cluster: WatchedCluster, in config: WatchListConfig) async -> Result<ManagedCluster, FetchFailure> {
        guard let set = config.credentials[cluster.credentials] else {
            return .failure(FetchFailure("credential set \"\(cluster.credentials)\" is not defined", kind: .local))
        }
        let credential: ResolvedCredential
        do {
            credential = try resolver.resolve(set, named: cluster.credentials, in: config.credentials).credential
        } catch {
            return .failure(FetchFailure(error.description, kind: .local))
        }
        do {
            let credentials = try await client.clusterCertificate(for: cluster, named: cluster.credentials, using: credential)
            return .success(try ManagedCluster(credentials: credentials, owner: cluster.ownership, options: cluster.entryOptions))
        } catch let error as CCEError {
            let stated = error.serviceError?.statedRateLimit.map { RequestPacer.StatedLimit(calls: $0.calls, window: $0.window) }
            return .failure(FetchFailure(error.description, kind: FailureKind(error), statedRateLimit: stated))
        } catch {
            return .failure(FetchFailure("cluster \"\(cluster.name)\": \(error)", kind: .invalidResponse))
        }
    }
}

extension FailureKind {
    /// The retry class of a client error: a service's refusal to give the set its temporary
    /// credentials counts against the set like a 401.
    init(_ error: CCEError) {
        self = error.refusesCredentialSet ? .authentication : FailureKind(error.kind)
    }

    /// The retry class of a client error's kind.
    init(_ kind: CCEError.Kind) {
        switch kind {
        case .authentication: self = .authentication
        case .forbidden: self = .forbidden
        case .notFound: self = .notFound
        case .throttled(let retryAfter): self = .throttled(retryAfter: retryAfter)
        case .server, .rejected: self = .server
        case .network, .cancelled: self = .network
        case .timeout: self = .timeout
        case .invalidResponse: self = .invalidResponse
        // The request could not be made as configured (an unreadable CA file, a forbidden
        // endpoint): nothing was sent.
        case .configuration: self = .local
        // A problem on this machine (a credential process that failed, an id token file
        // missing): never counted against the set.
        case .local: self = .local
        }
    }
}
