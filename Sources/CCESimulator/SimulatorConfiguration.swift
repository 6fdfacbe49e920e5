#if canImport(FoundationEssentials)
import FoundationEssentials
#else
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#endif

/// Who may call the simulator and which clusters it serves.
///
/// Build one in code, or read it from a JSON file with ``init(contentsOf:)`` (the format is in
/// `docs/simulator.md`). It holds secrets, so `description` and the reflection mirror show
/// counts and cluster ids only.
package struct SimulatorConfiguration: Sendable, Hashable {
    /// Whose variant of the CCE API the simulator answers in: the same calls, small differences
    /// in ListClusters.
    package enum Cloud: String, Sendable, Hashable, Codable, CaseIterable {
        /// Huawei Cloud: `status.endpoints` is a list of `{url, type}`, timestamps are ISO 8601.
        case huaweicloud
        /// Open Telekom Cloud: `status.endpoints` is one object `{internal, external}`, and
        /// timestamps are Go's `2026-06-10 14:06:58.211095 +0000 UTC`.
        case otc
    }

    /// Permanent access keys: AK → SK.
    package var accessKeys: [String: String]
    /// Temporary access keys: AK → its SK, security token and expiry.
    package var temporaryAccessKeys: [String: TemporaryAccessKey]
    /// IAM users who may get a token with their password.
    package var users: [IAMUser]
    /// Tokens accepted in `X-Auth-Token` without a login, like a token kept in a file.
    package var staticTokens: [StaticToken]
    /// Project names by project id, for IAM's `scope.project.name` (e.g. `cn-north-4`).
    /// A project without a name here is named by its id.
    package var projectNames: [String: String]
    /// The clusters, each with a unique cluster id, and a console name unique in its project.
    package var clusters: [SimulatedCluster]
    /// Whose variant of the API to answer in.
    package var cloud: Cloud
    /// The per-user limit on cluster-certificate calls; `nil`: no limit.
    package var certificateThrottle: CallThrottle?
    /// Faults of the ListClusters call, by project id, apart from any cluster's fault; change them
    /// at run time with ``RunningSimulator/setListFault(_:forProject:)``.
    package var listFaults: [String: Fault]
    /// How far `X-Sdk-Date` may be from the simulator's clock: 15 minutes, as at the gateway.
    package var allowedClockSkew: Duration
    /// How long the CCE and IAM endpoints wait before answering each request, like a distant
    /// region's round trip; zero by default. The API servers answer at once.
    package var responseLatency: Duration
    /// The owners of permanent access keys, by access key; a key without one acts in the
    /// ``defaultAccount`` and may not assume agencies.
    package var accessKeyOwners: [String: AccessKeyOwner] = [:]
    /// The accounts that own projects, by project id; a project without one belongs to the
    /// ``defaultAccount`` and any credential may act in it.
    package var projectAccounts: [String: String] = [:]
    /// The agencies legacy IAM's `assume_role` and STS `AssumeAgency` hand out keys for.
    package var agencies: [Agency] = []
    /// The OpenID Connect providers whose id tokens IAM exchanges for federated tokens.
    package var identityProviders: [IdentityProvider] = []
    /// The ECS metadata service and its agency; `nil`: no metadata service.
    package var metadata: MetadataService?
    /// How long every temporary key of `assume_role`, `securitytokens` and `AssumeAgency` lives,
    /// whatever the request asks (the requested duration is still checked), so that a test can
    /// watch keys expire in seconds; `nil`: as requested.
    package var temporaryKeyLifetime: Duration?

    package init(
        accessKeys: [String: String] = [:],
        temporaryAccessKeys: [String: TemporaryAccessKey] = [:],
        users: [IAMUser] = [],
        staticTokens: [StaticToken] = [],
        projectNames: [String: String] = [:],
        clusters: [SimulatedCluster] = [],
        allowedClockSkew: Duration = .seconds(15 * 60),
        responseLatency: Duration = .zero,
        cloud: Cloud = .huaweicloud,
        certificateThrottle: CallThrottle? = nil,
        listFaults: [String: Fault] = [:]
    ) {
        self.accessKeys = accessKeys
        self.temporaryAccessKeys = temporaryAccessKeys
        self.users = users
        self.staticTokens = staticTokens
        self.projectNames = projectNames
        self.clusters = clusters
        self.allowedClockSkew = allowedClockSkew
        self.responseLatency = responseLatency
        self.cloud = cloud
        self.certificateThrottle = certificateThrottle
        self.listFaults = listFaults
    }

    /// The name of a project, as IAM reports it.
    func projectName(_ projectID: String) -> String {
        projectNames[projectID] ?? projectID
    }

    /// Checks what the types cannot: unique cluster ids and console names, non-empty ids, names,
    /// phases and secrets, positive lifetimes and limits, faults that fit the call, no negative
    /// skew or latency.
    func validate() throws(SimulatorError) {
        var known: [SimulatedCluster] = []
        for (index, cluster) in clusters.enumerated() {
            try cluster.validate(joining: known, place: "clusters[\(index)]")
            known.append(cluster)
        }
        for (projectID, fault) in listFaults where !fault.appliesToListCalls {
            throw .invalidConfiguration("the list fault of project \(projectID), \(fault), applies to certificate answers only")
        }
        if let certificateThrottle, certificateThrottle.limit < 1 || certificateThrottle.window <= .zero {
            throw .invalidConfiguration("the certificate throttle needs a limit of at least 1 and a positive window")
        }
        guard !accessKeys.keys.contains(where: { temporaryAccessKeys[$0] != nil }) else {
            throw .invalidConfiguration("an access key is both permanent and temporary")
        }
        guard !accessKeys.contains(where: { $0.key.isEmpty || $0.value.isEmpty }),
            !temporaryAccessKeys.contains(where: { $0.key.isEmpty || $0.value.secretKey.isEmpty || $0.value.securityToken.isEmpty })
        else {
            throw .invalidConfiguration("an access key, secret key or security token is empty")
        }
        for (index, user) in users.enumerated() where user.tokenLifetime <= .zero {
            throw .invalidConfiguration("users[\(index)] has a token lifetime that is not positive")
        }
        guard !staticTokens.contains(where: { $0.token.isEmpty }) else {
            throw .invalidConfiguration("a static token is empty")
        }
        guard allowedClockSkew >= .zero else {
            throw .invalidConfiguration("the allowed clock skew is negative")
        }
        guard responseLatency >= .zero else {
            throw .invalidConfiguration("the response latency is negative")
        }
        try validateIdentities()
    }
}

extension SimulatedCluster {
    /// Whether `name` is a name CCE accepts for a cluster (ListClusters' `metadata.name`, 4–128
    /// characters): a lower-case letter, then lower-case letters, digits and hyphens, not ending
    /// with a hyphen.
    static func isConsoleName(_ name: String) -> Bool {
        name.wholeMatch(of: /[a-z][a-z0-9-]{2,126}[a-z0-9]/) != nil
    }

    /// Checks the cluster on its own and against the clusters already there.
    ///
    /// - Parameter place: how errors name the cluster, e.g. `clusters[2]`.
    func validate(joining others: [SimulatedCluster], place: String) throws(SimulatorError) {
        guard !projectID.isEmpty, !clusterID.isEmpty else {
            throw .invalidConfiguration("\(place) needs a project id and a cluster id")
        }
        guard !others.contains(where: { $0.clusterID == clusterID }) else {
            throw .invalidConfiguration("\(place) repeats the cluster id \(clusterID)")
        }
        guard !phase.isEmpty else {
            throw .invalidConfiguration("\(place) has an empty phase")
        }
        guard Self.isConsoleName(name) else {
            throw .invalidConfiguration(
                "\(place) has the name \(name), which CCE does not allow: 4 to 128 lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen"
            )
        }
        guard !others.contains(where: { $0.projectID == projectID && $0.name == name }) else {
            throw .invalidConfiguration("\(place) repeats the name \(name) in project \(projectID)")
        }
        if case .seconds(let seconds) = certificateLifetime, seconds <= 0 {
            throw .invalidConfiguration("\(place) has a certificate lifetime that is not positive")
        }
    }
}

/// A temporary AK/SK as IAM's `securitytokens` API hands it out: usable only together with its
/// security token (sent, and signed, as `X-Security-Token`) and only until it expires.
package struct TemporaryAccessKey: Sendable, Hashable {
    /// The SK that signs requests.
    package var secretKey: String
    /// The value the request must carry, signed, in `X-Security-Token`.
    package var securityToken: String
    /// After this, requests signed with the key get 401 "signature expired"; `nil`: never.
    package var expiresAt: Date?

    package init(secretKey: String, securityToken: String, expiresAt: Date? = nil) {
        self.secretKey = secretKey
        self.securityToken = securityToken
        self.expiresAt = expiresAt
    }
}

/// An IAM user of an account (a "domain") who logs in with a password.
package struct IAMUser: Sendable, Hashable {
    /// The account name, `auth.identity.password.user.domain.name`.
    package var domain: String
    /// The IAM user name.
    package var name: String
    /// The password, compared in constant time.
    package var password: String
    /// How long a token issued to this user lives: 24 hours at IAM.
    package var tokenLifetime: Duration
    /// Whether the user has the Agent Operator role: its tokens may assume agencies.
    package var mayAssumeAgencies: Bool

    package init(
        domain: String,
        name: String,
        password: String,
        tokenLifetime: Duration = .seconds(24 * 3600),
        mayAssumeAgencies: Bool = false
    ) {
        self.domain = domain
        self.name = name
        self.password = password
        self.tokenLifetime = tokenLifetime
        self.mayAssumeAgencies = mayAssumeAgencies
    }
}

/// A token accepted in `X-Auth-Token` as if IAM had issued it.
package struct StaticToken: Sendable, Hashable {
    /// The exact `X-Auth-Token` value.
    package var token: String
    /// The project the token is scoped to; `nil`: any project.
    package var projectID: String?
    /// After this, the token gets 401 "token expires"; `nil`: never.
    package var expiresAt: Date?

    package init(token: String, projectID: String? = nil, expiresAt: Date? = nil) {
        self.token = token
        self.projectID = projectID
        self.expiresAt = expiresAt
    }
}

extension SimulatorConfiguration: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    package var description: String {
        "SimulatorConfiguration(\(accessKeys.count) access keys, \(temporaryAccessKeys.count) temporary access keys, "
            + "\(users.count) users, \(staticTokens.count) static tokens, \(agencies.count) agencies, "
            + "\(identityProviders.count) identity providers, metadata: \(metadata == nil ? "no" : "yes"), "
            + "clusters: \(clusters.map(\.clusterID).joined(separator: ", ")), cloud: \(cloud.rawValue))"
    }

    package var debugDescription: String { description }

    package var customMirror: Mirror { Mirror(self, children: ["description": description]) }
}

extension TemporaryAccessKey: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    package var description: String { "TemporaryAccessKey(<redacted>, expires: \(expiresAt.map { "\($0)" } ?? "never"))" }
    package var debugDescription: String { description }
    package var customMirror: Mirror { Mirror(self, children: ["description": description]) }
}

extension IAMUser: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    package var description: String { "IAMUser(\(domain)/\(name), password: <redacted>)" }
    package var debugDescription: String { description }
    package var customMirror: Mirror { Mirror(self, children: ["description": description]) }
}

extension StaticToken: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    package var description: String { "StaticToken(<redacted>, project: \(projectID ?? "any"))" }
    package var debugDescription: String { description }
    package var customMirror: Mirror { Mirror(self, children: ["description": description]) }
}
