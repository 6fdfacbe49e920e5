#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension SimulatorConfiguration {
    /// Reads a configuration from a JSON file; see `docs/simulator.md` for the format.
    package init(contentsOf url: URL) throws(SimulatorError) {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw .unreadableConfiguration(source: url.path, reason: "cannot be read (\(error))")
        }
        try self.init(json: data, source: url.path)
    }

    /// Parses a configuration from JSON; `source` names it in errors.
    ///
    /// Unknown keys are errors, so a misspelt setting is not silently ignored. Error messages
    /// name the place (`clusters[1].fault`) and never a value, so no secret reaches them.
    package init(json: Data, source: String = "the configuration") throws(SimulatorError) {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            self = try decoder.decode(ConfigurationFile.self, from: json).configuration
        } catch let error as DecodingError {
            throw .unreadableConfiguration(source: source, reason: Self.explain(error))
        } catch let error as ConfigurationFile.Duplicate {
            throw .unreadableConfiguration(source: source, reason: "\(error.place) repeats an earlier \(error.what)")
        } catch {
            throw .unreadableConfiguration(source: source, reason: "\(error)")
        }
    }

    static func explain(_ error: DecodingError) -> String {
        func place(_ path: [any CodingKey]) -> String {
            let text = path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return text.isEmpty ? "the document" : String(text.drop { $0 == "." })
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "\(place(context.codingPath + [key])) is missing"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "\(place(context.codingPath)): \(context.debugDescription)"
        case .dataCorrupted(let context):
            let detail = context.underlyingError.map { " (\($0))" } ?? ""
            return "\(place(context.codingPath)): \(context.debugDescription)\(detail)"
        @unknown default:
            return "\(error)"
        }
    }
}

/// The JSON file: snake_case keys, lists where the Swift API has dictionaries (so errors point
/// at an index rather than at a key that is an access key), durations in seconds.
private struct ConfigurationFile: Decodable {
    /// A key or token listed twice.
    struct Duplicate: Error {
        var place: String
        var what: String
    }

    let configuration: SimulatorConfiguration

    private enum Keys: String, CodingKey, CaseIterable {
        case accessKeys = "access_keys"
        case temporaryAccessKeys = "temporary_access_keys"
        case users
        case staticTokens = "static_tokens"
        case projects
        case clusters
        case allowedClockSkewSeconds = "allowed_clock_skew_seconds"
        case responseLatencyMilliseconds = "response_latency_ms"
        case cloud
        case throttle
        case agencies
        case identityProviders = "identity_providers"
        case metadata
        case temporaryKeyLifetimeSeconds = "temporary_key_lifetime_seconds"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.strictContainer(keyedBy: Keys.self)
        var configuration = SimulatorConfiguration()
        for (index, entry) in try (container.decodeIfPresent([AccessKeyEntry].self, forKey: .accessKeys) ?? []).enumerated() {
            guard configuration.accessKeys.updateValue(entry.secretKey, forKey: entry.accessKey) == nil else {
                throw Duplicate(place: "access_keys[\(index)]", what: "access key")
            }
            configuration.accessKeyOwners[entry.accessKey] = entry.owner
        }
        let temporaryKeys = try container.decodeIfPresent([TemporaryAccessKeyEntry].self, forKey: .temporaryAccessKeys) ?? []
        for (index, entry) in temporaryKeys.enumerated() {
            guard configuration.temporaryAccessKeys.updateValue(entry.key, forKey: entry.accessKey) == nil else {
                throw Duplicate(place: "temporary_access_keys[\(index)]", what: "access key")
            }
        }
        configuration.users = try container.decodeIfPresent([UserEntry].self, forKey: .users)?.map(\.user) ?? []
        configuration.staticTokens = try container.decodeIfPresent([StaticTokenEntry].self, forKey: .staticTokens)?.map(\.token) ?? []
        for (index, project) in try (container.decodeIfPresent([ProjectEntry].self, forKey: .projects) ?? []).enumerated() {
            guard configuration.projectNames.updateValue(project.name, forKey: project.id) == nil else {
                throw Duplicate(place: "projects[\(index)]", what: "project id")
            }
            configuration.listFaults[project.id] = project.listFault
            configuration.projectAccounts[project.id] = project.account
        }
        configuration.clusters = try container.decodeIfPresent([ClusterEntry].self, forKey: .clusters)?.map(\.cluster) ?? []
        if let seconds = try container.decodeIfPresent(Int.self, forKey: .allowedClockSkewSeconds) {
            configuration.allowedClockSkew = .seconds(seconds)
        }
        if let milliseconds = try container.decodeIfPresent(Int.self, forKey: .responseLatencyMilliseconds) {
            configuration.responseLatency = .milliseconds(milliseconds)
        }
        configuration.cloud = try container.decodeIfPresent(SimulatorConfiguration.Cloud.self, forKey: .cloud) ?? .huaweicloud
        configuration.certificateThrottle = try container.decodeIfPresent(ThrottleEntry.self, forKey: .throttle)?.throttle
        configuration.agencies = try container.decodeIfPresent([AgencyEntry].self, forKey: .agencies)?.map(\.agency) ?? []
        configuration.identityProviders =
            try container.decodeIfPresent([IdentityProviderEntry].self, forKey: .identityProviders)?.map(\.provider) ?? []
        configuration.metadata = try container.decodeIfPresent(MetadataEntry.self, forKey: .metadata)?.service
        configuration.temporaryKeyLifetime = try container.decodeIfPresent(Int.self, forKey: .temporaryKeyLifetimeSeconds).map {
            .seconds($0)
        }
        self.configuration = configuration
    }
}

private struct AccessKeyEntry: Decodable {
    var accessKey: String
    var secretKey: String
    var owner: AccessKeyOwner?

    private enum Keys: String, CodingKey, CaseIterable {
        case accessKey = "access_key"
        case secretKey = "secret_key"
        case account
        case agentOperator = "agent_operator"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.strictContainer(keyedBy: Keys.self)
        accessKey = try container.decode(String.self, forKey: .accessKey)
        secretKey = try container.decode(String.self, forKey: .secretKey)
        let account = try container.decodeIfPresent(String.self, forKey: .account)
        let agentOperator = try container.decodeIfPresent(Bool.self, forKey: .agentOperator)
        if account != nil || agentOperator != nil {
            owner = AccessKeyOwner(account: account, mayAssumeAgencies: agentOperator ?? false)
        }
    }
}

private struct TemporaryAccessKeyEntry: Decodable {
    var accessKey: String
    var key: TemporaryAccessKey

    private enum Keys: String, CodingKey, CaseIterable {
        case accessKey = "access_key"
        case secretKey = "secret_key"
        case securityToken = "security_token"
        case expiresAt = "expires_at"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.strictContainer(keyedBy: Keys.self)
        accessKey = try container.decode(String.self, forKey: .accessKey)
        key = TemporaryAccessKey(
            secretKey: try container.decode(String.self, forKey: .secretKey),
            securityToken: try container.decode(String.self, forKey: .securityToken),
            expiresAt: try container.decodeIfPresent(Date.self, forKey: .expiresAt)
        )
    }
}

private struct UserEntry: Decodable {
    var user: IAMUser

    private enum Keys: String, CodingKey, CaseIterable {
        case domain, name, password
        case tokenLifetimeSeconds = "token_lifetime_seconds"
        case agentOperator = "agent_operator"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.strictContainer(keyedBy: Keys.self)
        user = IAMUser(
            domain: try container.decode(String.self, forKey: .domain),
            name: try container.decode(String.self, forKey: .name),
            password: try container.decode(String.self, forKey: .password)
        )
        if let seconds = try container.decodeIfPresent(Int.self, forKey: .tokenLifetimeSeconds) {
            user.tokenLifetime = .seconds(seconds)
        }
        user.mayAssumeAgencies = try container.decodeIfPresent(Bool.self, forKey: .agentOperator) ?? false
    }
}

private struct StaticTokenEntry: Decodable {
    var token: StaticToken

    private enum Keys: String, CodingKey, CaseIterable {
        case token
        case projectID = "project_id"
        case expiresAt = "expires_at"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.strictContainer(keyedBy: Keys.self)
        token = StaticToken(
            token: try container.decode(String.self, forKey: .token),
            projectID: try container.decodeIfPresent(String.self, forKey: .projectID),
            expiresAt: try container.decodeIfPresent(Date.self, forKey: .expiresAt)
        )
    }
}

private struct ProjectEntry: Decodable {
    var id: String
    var name: String
    var listFault: Fault?
    var account: String?

    private enum Keys: String, CodingKey, CaseIterable {
        case id, name, account
        case listFault = "list_fault"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.strictContainer(keyedBy: Keys.self)
        id = try container.decode(String.self, forKey: .id)
        name = try container.decode(String.self, forKey: .name)
        listFault = try container.decodeIfPresent(Fault.self, forKey: .listFault)
        account = try container.decodeIfPresent(String.self, forKey: .account)
    }
}

/// One entry of `agencies`.
private struct AgencyEntry: Decodable {
    var agency: Agency

    private enum Keys: String, CodingKey, CaseIterable {
        case account, name
        case trustedAccount = "trusted_account"
        case maxSessionSeconds = "max_session_seconds"
        case agentOperator = "agent_operator"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.strictContainer(keyedBy: Keys.self)
        agency = Agency(
            account: try container.decode(String.self, forKey: .account),
            name: try container.decode(String.self, forKey: .name),
            trustedAccount: try container.decode(String.self, forKey: .trustedAccount),
            maximumSession: .seconds(try container.decodeIfPresent(Int.self, forKey: .maxSessionSeconds) ?? 3600),
            mayAssumeAgencies: try container.decodeIfPresent(Bool.self, forKey: .agentOperator) ?? false
        )
    }
}

/// One entry of `identity_providers`.
private struct IdentityProviderEntry: Decodable {
    var provider: IdentityProvider

    private enum Keys: String, CodingKey, CaseIterable {
        case id, account, issuer
        case clientID = "client_id"
        case publicKeyPEM = "public_key_pem"
        case tokenLifetimeSeconds = "token_lifetime_seconds"
        case agentOperator = "agent_operator"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.strictContainer(keyedBy: Keys.self)
        provider = IdentityProvider(
            id: try container.decode(String.self, forKey: .id),
            account: try container.decode(String.self, forKey: .account),
            issuer: try container.decode(String.self, forKey: .issuer),
            clientID: try container.decode(String.self, forKey: .clientID),
            publicKeyPEM: try container.decode(String.self, forKey: .publicKeyPEM),
            tokenLifetime: .seconds(try container.decodeIfPresent(Int.self, forKey: .tokenLifetimeSeconds) ?? 24 * 3600),
            mayAssumeAgencies: try container.decodeIfPresent(Bool.self, forKey: .agentOperator) ?? false
        )
    }
}

/// `metadata`: `{"agency_account": …, "agency_name": …, "key_lifetime_seconds": …, "require_token": …}`.
private struct MetadataEntry: Decodable {
    var service: MetadataService

    private enum Keys: String, CodingKey, CaseIterable {
        case agencyAccount = "agency_account"
        case agencyName = "agency_name"
        case keyLifetimeSeconds = "key_lifetime_seconds"
        case requireToken = "require_token"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.strictContainer(keyedBy: Keys.self)
        service = MetadataService(
            agencyAccount: try container.decode(String.self, forKey: .agencyAccount),
            agencyName: try container.decode(String.self, forKey: .agencyName),
            keyLifetime: .seconds(try container.decodeIfPresent(Int.self, forKey: .keyLifetimeSeconds) ?? 3600),
            requiresToken: try container.decodeIfPresent(Bool.self, forKey: .requireToken) ?? false
        )
    }
}

/// `{"limit": 10, "window_seconds": 60}`.
private struct ThrottleEntry: Decodable {
    var throttle: CallThrottle

    private enum Keys: String, CodingKey, CaseIterable {
        case limit
        case windowSeconds = "window_seconds"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.strictContainer(keyedBy: Keys.self)
        throttle = CallThrottle(
            limit: try container.decode(Int.self, forKey: .limit),
            window: .seconds(try container.decode(Int.self, forKey: .windowSeconds))
        )
    }
}

/// One entry of `clusters`, also the body of the control endpoint's `POST /clusters`.
struct ClusterEntry: Decodable {
    var cluster: SimulatedCluster

    private enum Keys: String, CodingKey, CaseIterable {
        case projectID = "project_id"
        case clusterID = "cluster_id"
        case externalEndpoint = "external_endpoint"
        case certificateLifetimeSeconds = "certificate_lifetime_seconds"
        case type
        case fault
        case name, phase, labels, category
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.strictContainer(keyedBy: Keys.self)
        cluster = SimulatedCluster(
            projectID: try container.decode(String.self, forKey: .projectID),
            clusterID: try container.decode(String.self, forKey: .clusterID),
            hasExternalEndpoint: try container.decodeIfPresent(Bool.self, forKey: .externalEndpoint) ?? false,
            certificateLifetime: try container.decodeIfPresent(Int.self, forKey: .certificateLifetimeSeconds)
                .map { .seconds($0) } ?? .asRequested,
            type: try container.decodeIfPresent(SimulatedCluster.ClusterType.self, forKey: .type) ?? .cce,
            fault: try container.decodeIfPresent(Fault.self, forKey: .fault),
            name: try container.decodeIfPresent(String.self, forKey: .name),
            phase: try container.decodeIfPresent(String.self, forKey: .phase) ?? SimulatedCluster.availablePhase,
            labels: try container.decodeIfPresent([String: String].self, forKey: .labels) ?? [:],
            category: try container.decodeIfPresent(SimulatedCluster.Category.self, forKey: .category) ?? .cce
        )
    }
}

/// Any key, to list the keys an object really has.
private struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }

    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension Decoder {
    /// A keyed container that refuses keys other than `Key`'s cases.
    fileprivate func strictContainer<Key: CodingKey & CaseIterable>(keyedBy: Key.Type) throws -> KeyedDecodingContainer<Key> {
        let known = Set(Key.allCases.map(\.stringValue))
        if let unknown = try container(keyedBy: AnyKey.self).allKeys.first(where: { !known.contains($0.stringValue) }) {
            let expected = Key.allCases.map(\.stringValue).joined(separator: ", ")
            throw DecodingError.dataCorrupted(
                .init(codingPath: codingPath, debugDescription: "unknown key \"\(unknown.stringValue)\"; expected \(expected)")
            )
        }
        return try container(keyedBy: Key.self)
    }
}
