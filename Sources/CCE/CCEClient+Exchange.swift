import CCESigning
import Logging
import WatchList

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What temporary credentials are kept under: the set, and how it is exchanged, so that a set
/// a reload changed is exchanged anew.
struct ExchangeKey: Hashable, Sendable {
    var credentialSet: String
    var exchange: CredentialExchange
}

/// The temporary credentials of every exchanged set of the process.
typealias TemporaryCredentialCache = ExchangeCache<ExchangeKey, TemporaryCredential, ExchangeFailure>

extension CCEClient {
    /// How long temporary keys for a federated token are asked for: an hour, or less when the
    /// token itself expires sooner (never less than IAM's 15 minutes).
    static let federatedKeyLifetime = 3_600

    /// The temporary credentials of `set`, obtained by `exchange`: the kept ones until their
    /// renewal time, else new ones, which every cluster of the set asking meanwhile waits for.
    /// Each exchange is logged, with the expiry of what it obtained, never a secret.
    func temporaryCredential(_ exchange: CredentialExchange, for set: String) async -> Result<
        TemporaryCredentialCache.Lease, ExchangeFailure
    > {
        await temporaryCredentials.value(for: ExchangeKey(credentialSet: set, exchange: exchange)) { [self] reason in
            let result = await self.perform(exchange, for: set)
            log(result, of: exchange, for: set, reason: reason)
            return result
        }
    }

    /// Drops temporary credentials a service refused, so that the next request exchanges anew.
    func invalidate(_ credential: TemporaryCredential, of exchange: CredentialExchange, for set: String) async {
        await temporaryCredentials.invalidate(credential, for: ExchangeKey(credentialSet: set, exchange: exchange))
    }

    private func log(
        _ result: Result<TemporaryCredential, ExchangeFailure>,
        of exchange: CredentialExchange,
        for set: String,
        reason: TemporaryCredentialCache.Reason
    ) {
        let logger = configuration.logger
        switch result {
        case .success(let credential):
            let what: String =
                switch reason {
                case .first: "obtained temporary credentials"
                case .renewal: "renewed temporary credentials before they expire"
                case .replacement: "obtained new temporary credentials after the old ones were refused"
                }
            var metadata: Logger.Metadata = ["credentials": "\(set)", "expires": "\(credential.expiresAt.formatted(.iso8601))"]
            if case .renewal(let expiring) = reason { metadata["previous_expiry"] = "\(expiring.formatted(.iso8601))" }
            logger.notice("\(what) (\(exchange))", metadata: metadata)
        case .failure:
            // The clusters waiting for it report the failure, each under its own name.
            break
        }
    }

    /// Runs one exchange.
    private func perform(_ exchange: CredentialExchange, for set: String) async -> Result<TemporaryCredential, ExchangeFailure> {
        do throws(ExchangeFailure) {
            switch exchange {
            case .process(let process):
                let runner = CredentialProcess(process: process, environment: configuration.environment)
                let (credential, lines) = try await runner.credentials(now: configuration.now())
                let redactor = SecretRedactor(secrets: credential.secrets)
                for line in lines {
                    configuration.logger.info(
                        "credential process: \(OneLine.clip(redactor.redact(line), limit: 500))",
                        metadata: ["credentials": "\(set)"]
                    )
                }
                return .success(credential)
            case .metadata(let endpoint, _):
                let request = try exchangeRequest(obtaining: exchange.obtaining, service: .metadata) { () throws(ServiceFailure) in
                    try ExchangeRequest.metadataSecurityKey(endpoint: endpoint)
                }
                let answer = try await call(
                    request,
                    on: metadataTransport,
                    trusting: nil,
                    service: .metadata,
                    obtaining: exchange.obtaining,
                    redactor: SecretRedactor(secrets: [])
                )
                return .success(try read(answer, service: .metadata, obtaining: exchange.obtaining, ExchangeRequest.iamKeys))
            case .oidc(let oidc, let iamEndpoint):
                return .success(try await federatedKeys(oidc, iamEndpoint: iamEndpoint, obtaining: exchange.obtaining))
            case .agency(let agency, let endpoint, let sourceSet, let source):
                return .success(try await assume(agency, at: endpoint, sourceSet: sourceSet, source: source, obtaining: exchange.obtaining))
            }
        } catch {
            return .failure(error)
        }
    }

    /// An agency assumed with the source's credentials: legacy IAM takes its token or its
    /// signature, STS its signature.
    private func assume(_ agency: AgencySet, at endpoint: URL, sourceSet: String, source: ResolvedCredential, obtaining: String)
        async throws(ExchangeFailure) -> TemporaryCredential
    {
        let (authentication, secrets) = try await self.authentication(
            of: source,
            set: sourceSet,
            iamEndpoint: agency.api == .iam ? endpoint : nil,
            caFile: agency.caFile,
            obtaining: obtaining
        )
        let redactor = SecretRedactor(secrets: secrets)
        let now = configuration.now()
        switch agency.api {
        case .iam:
            let request = try exchangeRequest(obtaining: obtaining, service: .iam) { () throws(ServiceFailure) in
                try ExchangeRequest.assumeAgency(agency, endpoint: endpoint, authentication: authentication, date: now)
            }
            let answer = try await call(
                request,
                on: transport,
                trusting: agency.caFile,
                service: .iam,
                obtaining: obtaining,
                redactor: redactor
            )
            return try read(answer, service: .iam, obtaining: obtaining, ExchangeRequest.iamKeys)
        case .sts:
            guard case .signed(let key) = authentication else {
                throw .local(
                    "STS signs with access keys, but its source \"\(sourceSet)\" gives a token; use api: iam, or a source with access keys",
                    obtaining: obtaining
                )
            }
            guard case .id(let domainID) = agency.account else {
                throw .local("STS names the agency's account by id; give domain_id", obtaining: obtaining)
            }
            let request = try exchangeRequest(obtaining: obtaining, service: .sts) { () throws(ServiceFailure) in
                try ExchangeRequest.assumeAgencySTS(agency, domainID: domainID, endpoint: endpoint, key: key, date: now)
            }
            let answer = try await call(
                request,
                on: transport,
                trusting: agency.caFile,
                service: .sts,
                obtaining: obtaining,
                redactor: redactor
            )
            return try read(answer, service: .sts, obtaining: obtaining, ExchangeRequest.stsKeys)
        }
    }

    /// How a source authenticates an exchange, and the secrets to keep out of its messages. A
    /// password logs in (scoped to its account) at `iamEndpoint`; an exchanged source is
    /// obtained first, through the same cache, so a chain shares its links with other sets.
    private func authentication(
        of source: ResolvedCredential,
        set sourceSet: String,
        iamEndpoint: URL?,
        caFile: String?,
        obtaining: String
    ) async throws(ExchangeFailure) -> (RequestAuthentication, [String]) {
        switch source {
        case .accessKey(let key):
            return (.signed(key), source.secrets)
        case .token(let token):
            return (.token(token), source.secrets)
        case .password(let password):
            guard let endpoint = password.iamEndpoint ?? iamEndpoint else {
                throw .local(
                    "STS signs with access keys, but its source \"\(sourceSet)\" is a password; use api: iam",
                    obtaining: obtaining
                )
            }
            let redactor = SecretRedactor(secrets: source.secrets)
            let request = try exchangeRequest(obtaining: obtaining, service: .iam) { () throws(ServiceFailure) in
                try PasswordLogin.request(for: password, domainScopedAt: endpoint)
            }
            let answer = try await call(
                request,
                on: transport,
                trusting: password.caFile ?? caFile,
                service: .iam,
                obtaining: obtaining,
                redactor: redactor
            )
            let token = try read(answer, service: .iam, obtaining: obtaining, PasswordLogin.token)
            return (.token(token.value), source.secrets + [token.value])
        case .exchanged(let inner):
            switch await temporaryCredential(inner, for: sourceSet) {
            case .success(let lease):
                return (lease.value.requestAuthentication, lease.value.secrets)
            case .failure(var failure):
                failure.obtaining += " for the source \"\(sourceSet)\""
                throw failure
            }
        }
    }

    /// A federated token for the id token in the set's file (read anew each time: CI rotates
    /// it), then temporary keys for the token, since CCE calls are signed.
    private func federatedKeys(_ oidc: OIDCSet, iamEndpoint: URL, obtaining: String) async throws(ExchangeFailure) -> TemporaryCredential {
        let idToken: String
        do {
            guard let file = try SecretFile.read(oidc.idTokenFile) else {
                throw ProcessProblem("the id token file \(oidc.idTokenFile) does not exist")
            }
            guard let text = String(validating: file.bytes, as: UTF8.self), !text.trimmingWhitespace.isEmpty else {
                throw ProcessProblem("the id token file \(oidc.idTokenFile) is empty or not text")
            }
            idToken = String(text.trimmingWhitespace)
        } catch let error as ProcessProblem {
            throw .local(error.description, obtaining: obtaining)
        } catch {
            throw .local("the id token file \(oidc.idTokenFile) cannot be read: \(error)", obtaining: obtaining)
        }
        var redactor = SecretRedactor(secrets: [idToken])
        let now = configuration.now()
        let request = try exchangeRequest(obtaining: obtaining, service: .iam) { () throws(ServiceFailure) in
            try ExchangeRequest.federatedToken(idToken: idToken, oidc: oidc, endpoint: iamEndpoint, date: now)
        }
        let answer = try await call(request, on: transport, trusting: oidc.caFile, service: .iam, obtaining: obtaining, redactor: redactor)
        let token = try read(answer, service: .iam, obtaining: obtaining, PasswordLogin.token)
        redactor = redactor.adding(token.value)
        let left = Int(token.expiresAt.timeIntervalSince(now))
        let seconds = max(900, min(Self.federatedKeyLifetime, left))
        let keysRequest = try exchangeRequest(obtaining: obtaining, service: .iam) { () throws(ServiceFailure) in
            try ExchangeRequest.keysForToken(token.value, seconds: seconds, endpoint: iamEndpoint, date: now)
        }
        let keysAnswer = try await call(
            keysRequest,
            on: transport,
            trusting: oidc.caFile,
            service: .iam,
            obtaining: obtaining,
            redactor: redactor
        )
        return try read(keysAnswer, service: .iam, obtaining: obtaining, ExchangeRequest.iamKeys)
    }

    // MARK: Calls

    private func exchangeRequest(
        obtaining: String,
        service: CCEError.Service,
        _ make: () throws(ServiceFailure) -> PreparedRequest
    ) throws(ExchangeFailure) -> PreparedRequest {
        do {
            return try make()
        } catch {
            throw ExchangeFailure(failure: error, service: service, obtaining: obtaining)
        }
    }

    /// Sends an exchange request; a failed status is the failure it stands for, with the
    /// exchange's secrets removed from what the service wrote.
    private func call(
        _ request: PreparedRequest,
        on transport: HTTPTransport,
        trusting caFile: String?,
        service: CCEError.Service,
        obtaining: String,
        redactor: SecretRedactor
    ) async throws(ExchangeFailure) -> HTTPAnswer {
        let answer: HTTPAnswer
        do {
            answer = try await transport.send(request, trusting: caFile)
        } catch {
            throw ExchangeFailure(failure: error, service: service, obtaining: obtaining)
        }
        if var failure = ServiceFailure(classifying: answer, now: configuration.now()) {
            failure.requestID = failure.requestID.map(redactor.redact)
            failure.serviceError = redactor.redact(failure.serviceError)
            throw ExchangeFailure(failure: failure, service: service, obtaining: obtaining)
        }
        return answer
    }

    private func read<T>(
        _ answer: HTTPAnswer,
        service: CCEError.Service,
        obtaining: String,
        _ decode: (HTTPAnswer) throws(ServiceFailure) -> T
    ) throws(ExchangeFailure) -> T {
        do {
            return try decode(answer)
        } catch {
            var failure = error
            failure.requestID = failure.requestID ?? ServiceFailure.requestID(of: answer)
            throw ExchangeFailure(failure: failure, service: service, obtaining: obtaining)
        }
    }
}
