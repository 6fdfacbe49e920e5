import WatchList

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Where and as whom the fleet calls (``CCEClient/listClusters(region:projectID:type:endpoint:access:)``,
/// ``CCEClient/findProject(named:region:access:)``, ``CCEClient/listProjects(region:access:)``) are made.
package struct FleetAccess: Sendable, Hashable {
    /// The credential set's name in the config, used in error messages only.
    package var credentialSet: String
    package var credential: ResolvedCredential
    /// The region's IAM endpoint (``Cloud/iamEndpoint(forRegion:)``, or the set's `iam_endpoint`):
    /// where projects are looked up, and where a password logs in unless it names its own.
    package var iamEndpoint: URL
    /// A PEM bundle trusted for the CCE and IAM endpoints in addition to the system roots; a
    /// password's own CA file wins for its IAM endpoint.
    package var caFile: String?

    package init(credentialSet: String, credential: ResolvedCredential, iamEndpoint: URL, caFile: String? = nil) {
        self.credentialSet = credentialSet
        self.credential = credential
        self.iamEndpoint = iamEndpoint
        self.caFile = caFile
    }
}

extension CCEClient {
    /// The clusters of one project, from CCE's ListClusters.
    ///
    /// `type: .cce` lists `GET /api/v3/projects/{project_id}/clusters`, `.autopilot` the Autopilot
    /// path; each lists its own family only. Authentication is the certificate call's: AK/SK
    /// signed with the project as `X-Project-Id`, a token, or a password's cached project token
    /// (renewed once on a 401). Nothing is retried otherwise.
    ///
    /// The answer is read whole or refused (``FleetAnswer/clusters(_:region:projectID:type:)``), and
    /// capped at ``CCEClient/maximumAnswerSize``, so a failed or damaged answer never reads as a
    /// shorter list.
    ///
    /// - Parameter endpoint: the region's CCE API (``Cloud/cceEndpoint(forRegion:)`` or an override).
    /// - Throws: ``FleetQueryError`` naming the region and project, classified like a certificate fetch.
    package func listClusters(
        region: String,
        projectID: String,
        type: WatchedCluster.ClusterType = .cce,
        endpoint: URL,
        access: FleetAccess
    ) async throws(FleetQueryError) -> [ClusterSummary] {
        var call = FleetCall(query: .listClusters(region: region, projectID: projectID, type: type), access: access)
        let answer = try await sendToCCE(&call, projectID: projectID) { authentication, date throws(ServiceFailure) in
            try FleetRequest.listClusters(projectID: projectID, type: type, endpoint: endpoint, authentication: authentication, date: date)
        }
        return try call.read(answer, from: .cce, now: configuration.now()) { body throws(ServiceFailure) in
            try FleetAnswer.clusters(body, region: region, projectID: projectID, type: type)
        }
    }

    /// The IAM project called `name`: a region's main project (named like the region) or a
    /// sub-project such as `cn-north-4_dev`.
    ///
    /// AK/SK credentials ask `GET /v3/projects?name=<name>`, signed without `X-Project-Id`, as the
    /// SDKs do before they know a project. Tokens ask `GET /v3/auth/projects`, which needs no
    /// permission; a password first logs in to the region's main project for such a token.
    ///
    /// - Throws: ``FleetQueryError`` of kind ``CCEError/Kind/notFound`` when no project has the
    ///   name, and ``CCEError/Kind/invalidResponse(reason:)`` when several have it.
    package func findProject(named name: String, region: String, access: FleetAccess) async throws(FleetQueryError) -> ProjectSummary {
        let call = FleetCall(query: .findProject(name: name, region: region), access: access)
        let matching = try await projects(call, named: name, region: region).filter { $0.name == name }
        switch matching.count {
        case 1:
            return matching[0]
        case 0:
            var error = call.error(ServiceFailure(.notFound), from: .iam)
            error.status = nil
            throw error
        default:
            throw call.error(ServiceFailure(.invalidResponse(reason: "\(matching.count) projects are named \"\(name)\"")), from: .iam)
        }
    }

    /// Every enabled, named IAM project the credentials may use: the regions' main projects and
    /// their sub-projects. The calls are ``findProject(named:region:access:)``'s, without a name.
    package func listProjects(region: String, access: FleetAccess) async throws(FleetQueryError) -> [ProjectSummary] {
        try await projects(FleetCall(query: .listProjects(region: region), access: access), named: nil, region: region)
    }

    /// IAM's projects, filtered by IAM to `name` where the call allows it.
    private func projects(_ call: FleetCall, named name: String?, region: String) async throws(FleetQueryError) -> [ProjectSummary] {
        var call = call
        let access = call.access
        let answer: HTTPAnswer
        switch try await usable(access.credential, call: &call) {
        case .exchanged:
            preconditionFailure("usable(_:call:) leaves no exchange")
        case .accessKey(let key):
            answer = try await call.send(on: transport, trusting: access.caFile, to: .iam) { () throws(ServiceFailure) in
                try FleetRequest.projects(
                    named: name,
                    endpoint: access.iamEndpoint,
                    authentication: .signed(key),
                    date: configuration.now()
                )
            }
        case .token(let token):
            answer = try await call.send(on: transport, trusting: access.caFile, to: .iam) { () throws(ServiceFailure) in
                try FleetRequest.authProjects(endpoint: access.iamEndpoint, authentication: .token(token), date: configuration.now())
            }
        case .password(let password):
            let endpoint = password.iamEndpoint ?? access.iamEndpoint
            let caFile = password.caFile ?? access.caFile
            let login = try await call.send(on: transport, trusting: caFile, to: .iam) { () throws(ServiceFailure) in
                try PasswordLogin.request(for: password, projectName: region, endpoint: endpoint)
            }
            if let failure = ServiceFailure(classifying: login, now: configuration.now()) {
                throw call.error(failure, from: .iam)
            }
            let token: IAMToken
            do {
                token = try PasswordLogin.token(from: login)
            } catch {
                throw call.error(error, from: .iam)
            }
            call.redactor = call.redactor.adding(token.value)
            answer = try await call.send(on: transport, trusting: caFile, to: .iam) { () throws(ServiceFailure) in
                try FleetRequest.authProjects(endpoint: endpoint, authentication: .token(token.value), date: configuration.now())
            }
        }
        return try call.read(answer, from: .iam, now: configuration.now(), FleetAnswer.projects)
    }

    /// Sends a CCE request made by `make` with the access's credential; a password's cached token
    /// that CCE refuses with 401 is dropped and the request made once more with a new login, as
    /// the certificate call does.
    private func sendToCCE(
        _ call: inout FleetCall,
        projectID: String,
        make: (RequestAuthentication, Date) throws(ServiceFailure) -> PreparedRequest
    ) async throws(FleetQueryError) -> HTTPAnswer {
        let caFile = call.access.caFile
        let now = configuration.now
        switch call.access.credential {
        case .accessKey(let key):
            return try await call.send(on: transport, trusting: caFile, to: .cce) { () throws(ServiceFailure) in
                try make(.signed(key), now())
            }
        case .token(let token):
            return try await call.send(on: transport, trusting: caFile, to: .cce) { () throws(ServiceFailure) in
                try make(.token(token), now())
            }
        case .exchanged(let exchange):
            var lease = try await temporaryCredential(exchange, call: &call)
            let first = lease.value.requestAuthentication
            let answer = try await call.send(on: transport, trusting: caFile, to: .cce) { () throws(ServiceFailure) in
                try make(first, now())
            }
            guard answer.status == 401, !lease.isFresh else { return answer }
            await invalidate(lease.value, of: exchange, for: call.access.credentialSet)
            lease = try await temporaryCredential(exchange, call: &call)
            let renewed = lease.value.requestAuthentication
            return try await call.send(on: transport, trusting: caFile, to: .cce) { () throws(ServiceFailure) in try make(renewed, now()) }
        case .password(let password):
            let key = IAMTokenKey(credential: password, projectID: projectID, endpoint: password.iamEndpoint ?? call.access.iamEndpoint)
            var lease = try await token(for: key, call: &call)
            let token = lease.value.value
            let answer = try await call.send(on: transport, trusting: caFile, to: .cce) { () throws(ServiceFailure) in
                try make(.token(token), now())
            }
            guard answer.status == 401, !lease.isFresh else { return answer }
            await tokens.invalidate(lease.value, for: key)
            lease = try await self.token(for: key, call: &call)
            let renewed = lease.value.value
            return try await call.send(on: transport, trusting: caFile, to: .cce) { () throws(ServiceFailure) in
                try make(.token(renewed), now())
            }
        }
    }

    /// The credential with an exchanged set's temporary credentials in place of the exchange.
    private func usable(_ credential: ResolvedCredential, call: inout FleetCall) async throws(FleetQueryError) -> ResolvedCredential {
        guard case .exchanged(let exchange) = credential else { return credential }
        switch try await temporaryCredential(exchange, call: &call).value.authentication {
        case .accessKey(let key): return .accessKey(key)
        case .token(let token): return .token(token)
        }
    }

    /// The set's temporary credentials, added to the secrets kept out of messages.
    private func temporaryCredential(_ exchange: CredentialExchange, call: inout FleetCall) async throws(FleetQueryError)
        -> TemporaryCredentialCache.Lease
    {
        switch await temporaryCredential(exchange, for: call.access.credentialSet) {
        case .success(let lease):
            call.redactor = lease.value.secrets.reduce(call.redactor) { $0.adding($1) }
            return lease
        case .failure(let failure):
            throw call.error(failure)
        }
    }

    /// A token for `key`, added to the secrets kept out of messages.
    private func token(for key: IAMTokenKey, call: inout FleetCall) async throws(FleetQueryError) -> IAMTokenCache.Lease {
        switch await tokens.value(for: key, exchange: login(key)) {
        case .success(let lease):
            call.redactor = call.redactor.adding(lease.value.value)
            return lease
        case .failure(let failure):
            throw call.error(failure, from: .iam)
        }
    }
}

/// One fleet call in progress: what its errors name, and the secrets kept out of them.
struct FleetCall: Sendable {
    let query: FleetQueryError.Query
    let access: FleetAccess
    var redactor: SecretRedactor

    init(query: FleetQueryError.Query, access: FleetAccess) {
        self.query = query
        self.access = access
        redactor = SecretRedactor(secrets: access.credential.secrets)
    }

    func error(_ failure: ServiceFailure, from service: CCEError.Service) -> FleetQueryError {
        FleetQueryError(
            failure.kind,
            query: query,
            credentialSet: access.credentialSet,
            service: service,
            requestID: failure.requestID.map(redactor.redact),
            serviceError: redactor.redact(failure.serviceError)
        )
    }

    /// Builds and sends a request; any answer comes back, error statuses included.
    func send(
        on transport: HTTPTransport,
        trusting caFile: String?,
        to service: CCEError.Service,
        _ make: () throws(ServiceFailure) -> PreparedRequest
    ) async throws(FleetQueryError) -> HTTPAnswer {
        do {
            return try await transport.send(try make(), trusting: caFile)
        } catch {
            throw self.error(error, from: service)
        }
    }

    /// The answer's content, or the failure its status or body is; `now` reads a `Retry-After` date.
    func read<T>(
        _ answer: HTTPAnswer,
        from service: CCEError.Service,
        now: Date,
        _ decode: ([UInt8]) throws(ServiceFailure) -> T
    ) throws(FleetQueryError) -> T {
        if let failure = ServiceFailure(classifying: answer, now: now) {
            throw error(failure, from: service)
        }
        do {
            return try decode(answer.body)
        } catch {
            var failure = error
            failure.requestID = failure.requestID ?? ServiceFailure.requestID(of: answer)
            throw self.error(failure, from: service)
        }
    }
}
