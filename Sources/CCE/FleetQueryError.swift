import WatchList

/// Why listing a project's clusters, or finding or listing IAM projects, failed: one sentence
/// naming the region (and project) and the credential set, and the same classes as a certificate
/// fetch (``CCEError/Kind``), so retry policy and pacing treat both alike.
///
/// Like ``CCEError`` it never holds a secret: server messages are cut to one line and the
/// request's secrets in them are replaced by `<redacted>`.
package struct FleetQueryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The call that failed, with the values that name it.
    package enum Query: Sendable, Hashable {
        /// CCE's ListClusters in one project (`/api/v3` or, for Autopilot, `/autopilot/v3`).
        case listClusters(region: String, projectID: String, type: WatchedCluster.ClusterType)
        /// IAM: the project called `name` (the region's main project, or a sub-project).
        case findProject(name: String, region: String)
        /// IAM: every project the credentials may use.
        case listProjects(region: String)
    }

    package var kind: CCEError.Kind
    package var query: Query
    /// The name of the credential set the request authenticated with.
    package var credentialSet: String
    package var service: CCEError.Service
    /// `X-Request-Id` of the answer, or the `request_id` of a gateway error body.
    package var requestID: String?
    /// The error the service wrote in the body, if it wrote one in a known shape.
    package var serviceError: ServiceErrorBody?
    /// The HTTP status the failure came with; `nil` when it came from no status, like a
    /// successful project lookup that matched no project.
    package var status: Int?
    /// What the client was obtaining for the credential set when it failed; `nil` when the
    /// call itself failed.
    package var obtaining: String?

    package init(
        _ kind: CCEError.Kind,
        query: Query,
        credentialSet: String,
        service: CCEError.Service,
        requestID: String? = nil,
        serviceError: ServiceErrorBody? = nil
    ) {
        self.kind = kind
        self.query = query
        self.credentialSet = credentialSet
        self.service = service
        self.requestID = requestID
        self.serviceError = serviceError
        status = kind.status
    }

    package var description: String {
        "\(subject): \(cause)"
    }

    /// What went wrong without where, for a sentence that already names the call (the fleet's
    /// `cannot list the clusters of project … in region …: <cause>`).
    package var cause: String {
        "\(summary)\(CCEError.details(status: status, serviceError: serviceError, requestID: requestID))."
    }

    /// Where: `region cn-north-4, project 0123…` and what was being done.
    private var subject: String {
        switch query {
        case .listClusters(let region, let projectID, let type):
            "region \(region), project \(projectID): listing the \(type == .autopilot ? "Autopilot " : "")clusters failed"
        case .findProject(let name, let region):
            "region \(region): finding the project \"\(name)\" failed"
        case .listProjects(let region):
            "region \(region): listing the projects failed"
        }
    }

    private var summary: String {
        let set = "credential set \"\(credentialSet)\""
        if let obtaining {
            return CCEError.exchangeSummary(kind: kind, service: service, set: set, obtaining: obtaining)
        }
        switch kind {
        case .authentication:
            return service == .iam ? "IAM did not accept \(set)" : "CCE did not accept \(set)"
        case .forbidden:
            return service == .iam ? "\(set) is not allowed to read IAM projects" : "\(set) is not allowed to list clusters"
        case .notFound:
            switch query {
            case .findProject(let projectName, _): return "IAM has no project named \"\(projectName)\" for \(set)"
            case .listClusters: return "CCE knows no such project in this region"
            case .listProjects: return "IAM has no such API"
            }
        case .throttled, .server, .rejected, .network, .timeout, .invalidResponse, .configuration, .cancelled, .local:
            return kind.summary(of: service)
        }
    }
}
