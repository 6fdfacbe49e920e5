/// Why a cluster's refresh failed, as far as retrying goes.
package enum FailureKind: Sendable, Hashable {
    /// HTTP 401: the credential was refused. Also feeds the credential's
    /// ``CredentialCircuitBreaker``.
    case authentication
    /// HTTP 403: authenticated, not allowed. Retried slowly and reported.
    case forbidden
    /// HTTP 404: no such project or cluster. Retried slowly and reported.
    case notFound
    /// HTTP 429, with the server's `Retry-After` if it sent one.
    case throttled(retryAfter: Duration?)
    /// HTTP 5xx.
    case server
    /// No connection, DNS, TLS: the network.
    case network
    /// No answer in time.
    case timeout
    /// An answer that is not a valid kubeconfig.
    case invalidResponse
    /// A foreign kubeconfig entry has a name this cluster needs: only the user can fix it.
    /// Retried slowly.
    case conflict
    /// Nothing was sent: the credential could not be resolved here (an unset variable, a missing
    /// secret file) or the request cannot be made as configured. Opens no circuit and is not
    /// counted by the pacer, since the API never saw it; retried with the backoff, at once when
    /// the credential's source changes, and on SIGUSR1.
    case local

    /// Whether only a change elsewhere (permissions, the watch list, the kubeconfig) can fix
    /// it, so retrying soon would only add load: 403, 404, a conflict.
    package var retriesSlowly: Bool {
        switch self {
        case .forbidden, .notFound, .conflict: true
        case .authentication, .throttled, .server, .network, .timeout, .invalidResponse, .local: false
        }
    }
}
