import Durations

/// Why a cluster's certificate could not be fetched: one sentence for a log line, and a class
/// that decides what to do next (retry later, re-authenticate, tell the operator).
///
/// The description names the watched cluster, the service that failed and the request id when
/// the answer carried one. It never holds a secret: messages from the server are cut to one
/// line and any of the request's secrets in them is replaced by `<redacted>`.
package struct CCEError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, as far as the retry policy cares.
    package enum Kind: Sendable, Hashable {
        /// HTTP 401: the credential was refused. With AK/SK do not retry soon: the gateway locks a
        /// key for 5 minutes after 5 failures.
        case authentication
        /// HTTP 403: authenticated, but not allowed (for CCE: `cce:cluster:generateClientCredential`).
        case forbidden
        /// HTTP 404: no such cluster in this project and region, or no such API on this endpoint.
        case notFound
        /// HTTP 429: slow down; `retryAfter` is the server's `Retry-After`, when it sent one.
        case throttled(retryAfter: Duration?)
        /// HTTP 5xx.
        case server(status: Int)
        /// Any other status outside 2xx, such as 400 for a duration CCE does not accept, or a redirect.
        case rejected(status: Int)
        /// No answer: the connection, TLS or the proxy failed.
        case network(reason: String)
        /// The connection or the whole request took longer than allowed.
        case timeout(Timeout)
        /// A 2xx answer that is not a usable certificate: too large, cut short, not JSON, wrong shape,
        /// bad base64 or PEM, a server that is not https, an expired client certificate.
        case invalidResponse(reason: String)
        /// The request could not be made as configured: an endpoint that may not be used, an
        /// unreadable CA file.
        case configuration(reason: String)
        /// The caller's task was cancelled.
        case cancelled
        /// Credentials could not be prepared on this machine: a file missing or unreadable, a
        /// credential process that failed. Never a refusal of the credentials by a service.
        case local(reason: String)
    }

    /// Which limit a ``Kind/timeout(_:)`` hit.
    package enum Timeout: Sendable, Hashable {
        /// Connecting, including the TLS handshake and a proxy's `CONNECT`.
        case connect(Duration)
        /// The whole request, from sending it to the last byte of the answer.
        case request(Duration)
    }

    /// The service that answered (or failed to).
    package enum Service: String, Sendable, Hashable {
        case cce = "CCE"
        case iam = "IAM"
        case sts = "STS"
        case metadata = "the ECS metadata service"
        /// A `type: process` command, for ``Kind/local(reason:)`` failures.
        case credentialProcess = "the credential process"
    }

    package var kind: Kind
    /// The watch name of the cluster the request was for.
    package var cluster: String
    /// The name of the credential set the request authenticated with.
    package var credentialSet: String
    package var service: Service
    /// `X-Request-Id` of the answer, or the `request_id` of a gateway error body.
    package var requestID: String?
    /// The error the service wrote in the body, if it wrote one in a known shape.
    package var serviceError: ServiceErrorBody?
    /// What the client was obtaining for the credential set when it failed (`the temporary keys
    /// of agency "ops" of account "acme"`); `nil` when the request itself failed.
    package var obtaining: String?

    package init(
        _ kind: Kind,
        cluster: String,
        credentialSet: String,
        service: Service,
        requestID: String? = nil,
        serviceError: ServiceErrorBody? = nil,
        obtaining: String? = nil
    ) {
        self.kind = kind
        self.cluster = cluster
        self.credentialSet = credentialSet
        self.service = service
        self.requestID = requestID
        self.serviceError = serviceError
        self.obtaining = obtaining
    }

    /// Whether a service refused to give the credential set what it needs (a 401, 403 or 404 to
    /// an exchange: an agency it may not assume or that does not exist, an id token not
    /// accepted). Such a refusal counts against the set like a 401 to the request itself.
    package var refusesCredentialSet: Bool {
        guard obtaining != nil else { return false }
        switch kind {
        case .authentication, .forbidden, .notFound: return true
        default: return false
        }
    }

    package var description: String {
        "cluster \"\(cluster)\": \(summary)\(Self.details(status: kind.status, serviceError: serviceError, requestID: requestID))."
    }

    /// What the service said, in parentheses after the main clause of an error sentence:
    /// ` (HTTP 500; CCE.01500001: Internal error.; request id 9f1c…)`; empty when it said nothing.
    static func details(status: Int?, serviceError: ServiceErrorBody?, requestID: String?) -> String {
        var details: [String] = []
        if let status {
            details.append("HTTP \(status)")
        }
        if let serviceError {
            details.append(serviceError.description)
        }
        if let requestID {
            details.append("request id \(requestID)")
        }
        return details.isEmpty ? "" : " (\(details.joined(separator: "; ")))"
    }

    /// The main clause, without the details in parentheses.
    private var summary: String {
        let set = "credential set \"\(credentialSet)\""
        if let obtaining {
            return Self.exchangeSummary(kind: kind, service: service, set: set, obtaining: obtaining)
        }
        switch kind {
        case .authentication:
            return service == .iam ? "IAM refused the password login of \(set)" : "CCE did not accept \(set)"
        case .forbidden:
            return service == .iam
                ? "IAM does not allow \(set) to log in to this project"
                : "\(set) is not allowed to fetch the cluster certificate"
        case .notFound:
            return service == .iam ? "IAM has no such project or API" : "CCE knows no such cluster in this project and region"
        case .throttled, .server, .rejected, .network, .timeout, .invalidResponse, .configuration, .cancelled, .local:
            return kind.summary(of: service)
        }
    }

    /// The main clause of a failure to obtain `obtaining` for `set`: a refusal names what was
    /// refused (the agency and its account), a local problem is the set's own sentence.
    static func exchangeSummary(kind: Kind, service: Service, set: String, obtaining: String) -> String {
        switch kind {
        case .authentication, .forbidden, .notFound:
            return "\(service.rawValue) refused \(set) \(obtaining)"
        case .local(let reason):
            return "\(set): \(reason)"
        default:
            return "\(set) could not obtain \(obtaining): \(kind.summary(of: service))"
        }
    }
}

extension CCEError.Kind {
    /// The main clause for the kinds whose wording does not depend on what was asked for.
    ///
    /// Authentication, forbidden and not found do depend on it and are worded by each error;
    /// for them this is a generic clause.
    func summary(of service: CCEError.Service) -> String {
        let name = service.rawValue
        switch self {
        case .authentication: return "\(name) did not accept the credentials"
        case .forbidden: return "\(name) did not allow the request"
        case .notFound: return "\(name) has no such resource"
        case .throttled(let retryAfter):
            return "\(name) is throttling requests; retry " + (retryAfter.map { "after \(DurationText.readable($0))" } ?? "later")
        case .server:
            return "\(name) failed"
        case .rejected:
            return "\(name) rejected the request"
        case .network(let reason):
            return "could not reach \(name): \(reason)"
        case .timeout(.connect(let limit)):
            return "could not connect to \(name) within \(DurationText.readable(limit))"
        case .timeout(.request(let limit)):
            return "\(name) did not answer within \(DurationText.readable(limit))"
        case .invalidResponse(let reason):
            return "the answer of \(name) was refused: \(reason)"
        case .configuration(let reason):
            return "cannot call \(name): \(reason)"
        case .cancelled:
            return "the request to \(name) was cancelled"
        case .local(let reason):
            return reason
        }
    }

    /// The HTTP status the kind stands for, when it comes from one.
    var status: Int? {
        switch self {
        case .authentication: 401
        case .forbidden: 403
        case .notFound: 404
        case .throttled: 429
        case .server(let status), .rejected(let status): status
        case .network, .timeout, .invalidResponse, .configuration, .cancelled, .local: nil
        }
    }
}
