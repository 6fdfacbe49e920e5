import Kubeconfig
import WatchList

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Fetches CCE cluster certificates from Huawei Cloud.
///
/// One client serves every cluster of a process: it keeps one HTTP connection pool per proxy and
/// the IAM tokens of password credentials, and may be called concurrently. Call ``shutdown()``
/// before dropping it.
///
/// ```swift
/// let client = CCEClient(configuration: .init(environment: env, proxy: try ProxySettings(environment: env)))
/// let resolved = try CredentialResolver(environment: env, homeDirectory: home).resolve(set, named: cluster.credentials)
/// let credentials = try await client.clusterCertificate(for: cluster, named: cluster.credentials, using: resolved.credential)
/// await client.shutdown()
/// ```
package final class CCEClient: Sendable {
    /// The largest answer read, in bytes. A kubeconfig answer is a few KiB.
    package static let maximumAnswerSize = 1 << 20
    /// Sent with every request.
    static let userAgent = "cce-kubeconfigd"

    package let configuration: Configuration
    let transport: HTTPTransport
    /// The ECS metadata service's own transport: never through a proxy, and quick to give up
    /// where there is no such service (3 s to connect, as Huawei's SDKs allow).
    let metadataTransport: HTTPTransport
    let tokens: IAMTokenCache
    let temporaryCredentials: TemporaryCredentialCache

    package init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        transport = HTTPTransport(
            proxySettings: configuration.proxy,
            connectTimeout: configuration.connectTimeout,
            requestTimeout: configuration.requestTimeout
        )
        metadataTransport = HTTPTransport(
            proxySettings: .direct,
            connectTimeout: min(.seconds(3), configuration.connectTimeout),
            requestTimeout: configuration.requestTimeout
        )
        tokens = IAMTokenCache(now: configuration.now)
        temporaryCredentials = TemporaryCredentialCache(now: configuration.now)
    }

    /// Fetches and validates the certificate of `cluster`.
    ///
    /// The contract:
    /// - The endpoint is the cluster's own, else `HUAWEICLOUD_SDK_REGION_CCE_<REGION>` from the
    ///   configuration's environment, else the region's. Plain `http://` is refused unless the
    ///   host is loopback.
    /// - `api` and `type` choose `POST` (with the duration) or the deprecated `GET`, and the
    ///   `/api/v3` or `/autopilot/v3` path. Any 2xx is success.
    /// - A password credential logs in to IAM first; the token is kept in memory until a tenth of
    ///   its lifetime (at least 5 minutes) is left. If CCE refuses a cached token with 401, the
    ///   client logs in once more and retries once.
    ///   Nothing else is retried: backoff is the caller's policy, informed by ``CCEError/Kind``.
    /// - The answer must be at most ``maximumAnswerSize`` bytes and pass `CCECredentials(parsing:)`
    ///   in full, with a client certificate that has not expired. Nothing partial is returned.
    ///
    /// - Parameter credentialSetName: the set's name in the config, used in error messages only.
    /// - Throws: ``CCEError`` naming the cluster, never holding a secret.
    package func clusterCertificate(
        for cluster: WatchedCluster,
        named credentialSetName: String,
        using credential: ResolvedCredential
    ) async throws(CCEError) -> CCECredentials {
        var context = FailureContext(
            cluster: cluster.name,
            credentialSet: credentialSetName,
            redactor: SecretRedactor(secrets: credential.secrets)
        )
        let endpoint: URL
        do {
            endpoint = try cluster.cceEndpoint(environment: configuration.environment)
        } catch {
            throw context.error(ServiceFailure(.configuration(reason: error.message)), from: .cce)
        }

        let answer: HTTPAnswer
        switch credential {
        case .accessKey(let key):
            answer = try await send(cluster, to: endpoint, authentication: .signed(key), context: context)
        case .token(let token):
            answer = try await send(cluster, to: endpoint, authentication: .token(token), context: context)
        case .password(let password):
            answer = try await sendWithIAMToken(of: password, cluster, to: endpoint, context: &context)
        case .exchanged(let exchange):
            answer = try await sendWithTemporaryCredential(of: exchange, cluster, to: endpoint, context: &context)
        }

        if let failure = ServiceFailure(classifying: answer, now: configuration.now()) {
            throw context.error(failure, from: .cce)
        }
        do {
            return try validated(answer)
        } catch {
            throw context.error(error, from: .cce)
        }
    }

    /// Shuts the HTTP clients down. Requests made afterwards fail with a configuration error.
    package func shutdown() async {
        await transport.shutdown()
        await metadataTransport.shutdown()
    }

    /// Builds, authenticates and sends the cluster-cert request; any answer comes back, error statuses included.
    private func send(
        _ cluster: WatchedCluster,
        to endpoint: URL,
        authentication: RequestAuthentication,
        context: FailureContext
    ) async throws(CCEError) -> HTTPAnswer {
        do {
            let request = try ClusterCertRequest.make(
                for: cluster,
                endpoint: endpoint,
                authentication: authentication,
                date: configuration.now()
            )
            return try await transport.send(request, trusting: cluster.caFile)
        } catch {
            throw context.error(error, from: .cce)
        }
    }

    /// Sends with a token of `password`: a cached one, or a fresh login. A cached token that CCE
    /// refuses with 401 may have been revoked early (password or permission change), so it is
    /// dropped and the request made once more with a new login.
    private func sendWithIAMToken(
        of password: PasswordCredential,
        _ cluster: WatchedCluster,
        to endpoint: URL,
        context: inout FailureContext
    ) async throws(CCEError) -> HTTPAnswer {
        let key = IAMTokenKey(
            credential: password,
            projectID: cluster.projectID,
            endpoint: password.iamEndpoint ?? IAMEndpoint.forRegion(cluster.region)
        )
        var lease = try await token(for: key, context: &context)
        let answer = try await send(cluster, to: endpoint, authentication: .token(lease.value.value), context: context)
        guard answer.status == 401, !lease.isFresh else { return answer }
        await tokens.invalidate(lease.value, for: key)
        lease = try await token(for: key, context: &context)
        return try await send(cluster, to: endpoint, authentication: .token(lease.value.value), context: context)
    }

    /// Sends with the set's temporary credentials: kept ones, or new ones from the exchange.
    /// Kept ones that CCE refuses with 401 may have been revoked early, so they are dropped and
    /// the request made once more with new ones.
    private func sendWithTemporaryCredential(
        of exchange: CredentialExchange,
        _ cluster: WatchedCluster,
        to endpoint: URL,
        context: inout FailureContext
    ) async throws(CCEError) -> HTTPAnswer {
        var lease = try await temporaryCredential(exchange, context: &context)
        let answer = try await send(cluster, to: endpoint, authentication: lease.value.requestAuthentication, context: context)
        guard answer.status == 401, !lease.isFresh else { return answer }
        await invalidate(lease.value, of: exchange, for: context.credentialSet)
        lease = try await temporaryCredential(exchange, context: &context)
        return try await send(cluster, to: endpoint, authentication: lease.value.requestAuthentication, context: context)
    }

    /// The set's temporary credentials, added to the secrets kept out of messages.
    private func temporaryCredential(_ exchange: CredentialExchange, context: inout FailureContext) async throws(CCEError)
        -> TemporaryCredentialCache.Lease
    {
        switch await temporaryCredential(exchange, for: context.credentialSet) {
        case .success(let lease):
            context.redactor = lease.value.secrets.reduce(context.redactor) { $0.adding($1) }
            return lease
        case .failure(let failure):
            throw context.error(failure)
        }
    }

    /// A token for `key`, added to the secrets kept out of messages.
    private func token(for key: IAMTokenKey, context: inout FailureContext) async throws(CCEError) -> IAMTokenCache.Lease {
        switch await tokens.value(for: key, exchange: login(key)) {
        case .success(let lease):
            context.redactor = context.redactor.adding(lease.value.value)
            return lease
        case .failure(let failure):
            throw context.error(failure, from: .iam)
        }
    }

    /// The IAM login for `key`, as the token cache runs it.
    func login(_ key: IAMTokenKey) -> IAMTokenCache.Exchange {
        { [transport, now = configuration.now] _ in
            do throws(ServiceFailure) {
                let request = try PasswordLogin.request(for: key.credential, projectID: key.projectID, endpoint: key.endpoint)
                let answer = try await transport.send(request, trusting: key.credential.caFile)
                if let failure = ServiceFailure(classifying: answer, now: now()) {
                    return .failure(failure)
                }
                return .success(try PasswordLogin.token(from: answer))
            } catch {
                return .failure(error)
            }
        }
    }

    /// The answer's credentials, checked in full, with a client certificate still valid now.
    private func validated(_ answer: HTTPAnswer) throws(ServiceFailure) -> CCECredentials {
        let requestID = ServiceFailure.requestID(of: answer)
        let credentials: CCECredentials
        do {
            credentials = try CCECredentials(parsing: answer.body)
        } catch {
            throw ServiceFailure(.invalidResponse(reason: error.description), requestID: requestID)
        }
        let notAfter = credentials.clientCertificate.notAfter
        guard notAfter > configuration.now() else {
            throw ServiceFailure(
                .invalidResponse(reason: "its client certificate expired at \(notAfter.formatted(.iso8601))"),
                requestID: requestID
            )
        }
        return credentials
    }
}
