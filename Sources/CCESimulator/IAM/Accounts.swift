#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Who owns a permanent access key: the account (IAM's "domain") the key acts in (`nil`: the
/// configuration's default account), and whether its user may assume agencies (IAM's Agent
/// Operator role, or an `sts:agencies:assume` policy).
package struct AccessKeyOwner: Sendable, Hashable {
    package var account: String?
    package var mayAssumeAgencies: Bool

    package init(account: String?, mayAssumeAgencies: Bool = false) {
        self.account = account
        self.mayAssumeAgencies = mayAssumeAgencies
    }
}

/// An IAM agency: a role in `account` that identities of `trustedAccount` may assume, through
/// legacy IAM's `assume_role` or STS `AssumeAgency`, for temporary keys that act in `account`.
package struct Agency: Sendable, Hashable {
    /// The account that owns the agency, and in whose projects its temporary keys act.
    package var account: String
    /// The agency name, `agency_name` (legacy) or the last part of `agency_urn` (STS).
    package var name: String
    /// The account whose identities the agency trusts. Anyone else is refused with 403.
    package var trustedAccount: String
    /// STS's "maximum session duration" of the agency: `duration_seconds` above it is a 400.
    /// Legacy `assume_role` has only its own 900…86 400 s limits.
    package var maximumSession: Duration
    /// Whether sessions of this agency may themselves assume agencies (a chain).
    package var mayAssumeAgencies: Bool

    package init(
        account: String,
        name: String,
        trustedAccount: String,
        maximumSession: Duration = .seconds(3600),
        mayAssumeAgencies: Bool = false
    ) {
        self.account = account
        self.name = name
        self.trustedAccount = trustedAccount
        self.maximumSession = maximumSession
        self.mayAssumeAgencies = mayAssumeAgencies
    }
}

/// An OpenID Connect identity provider configured in an account: IAM exchanges id tokens it
/// signed (ES256 or RS256, checked with `publicKeyPEM`) for federated tokens of `account`.
package struct IdentityProvider: Sendable, Hashable {
    /// The id the client sends in `X-Idp-Id`.
    package var id: String
    /// The account whose federated users the provider's tokens map to.
    package var account: String
    /// The id token's `iss` must equal this.
    package var issuer: String
    /// The id token's `aud` (a string or a list) must contain this.
    package var clientID: String
    /// The provider's public signing key, PEM (`BEGIN PUBLIC KEY`), P-256 or RSA.
    package var publicKeyPEM: String
    /// How long a federated token lives: 24 hours at IAM.
    package var tokenLifetime: Duration
    /// Whether the federated users may assume agencies.
    package var mayAssumeAgencies: Bool

    package init(
        id: String,
        account: String,
        issuer: String,
        clientID: String,
        publicKeyPEM: String,
        tokenLifetime: Duration = .seconds(24 * 3600),
        mayAssumeAgencies: Bool = false
    ) {
        self.id = id
        self.account = account
        self.issuer = issuer
        self.clientID = clientID
        self.publicKeyPEM = publicKeyPEM
        self.tokenLifetime = tokenLifetime
        self.mayAssumeAgencies = mayAssumeAgencies
    }
}

/// The ECS metadata service: the agency attached to the simulated server, whose temporary keys
/// `GET /openstack/latest/securitykey` hands out.
package struct MetadataService: Sendable, Hashable {
    /// The attached agency's account and name; it must be one of the configuration's agencies.
    package var agencyAccount: String
    package var agencyName: String
    /// How long each key lives: an hour at ECS. A key is handed out again until 10 minutes
    /// before it expires (half its life for keys of 20 minutes or less), then a new one is made.
    package var keyLifetime: Duration
    /// Whether `GET /openstack/latest/securitykey` needs an `X-Metadata-Token` from the token API.
    package var requiresToken: Bool

    package init(agencyAccount: String, agencyName: String, keyLifetime: Duration = .seconds(3600), requiresToken: Bool = false) {
        self.agencyAccount = agencyAccount
        self.agencyName = agencyName
        self.keyLifetime = keyLifetime
        self.requiresToken = requiresToken
    }
}

extension SimulatorConfiguration {
    /// The account id (IAM's `domain_id`) of an account name: 32 hex digits derived from the
    /// name, so it is the same at every start and a test can compute it.
    package static func accountID(of account: String) -> String {
        IAMResponder.stableID("domain", account)
    }

    /// The account of everything configured without one: the first user's, else `simulated-account`.
    package var defaultAccount: String {
        users.first?.domain ?? "simulated-account"
    }

    /// Every account the configuration names, by id.
    var accountsByID: [String: String] {
        var names = Set(users.map(\.domain)).union(agencies.flatMap { [$0.account, $0.trustedAccount] })
        names.formUnion(accessKeyOwners.values.compactMap(\.account))
        names.formUnion(identityProviders.map(\.account))
        names.formUnion(projectAccounts.values)
        names.insert(defaultAccount)
        return Dictionary(uniqueKeysWithValues: names.map { (Self.accountID(of: $0), $0) })
    }

    /// Whether credentials of `account` see and may use the project: one of their account's, or
    /// one that no account owns (open to all, as in a configuration of a single account).
    func project(_ projectID: String, isOpenTo account: String) -> Bool {
        projectAccounts[projectID].map { $0 == account } ?? true
    }

    /// The agency `name` of `account`, if configured.
    func agency(named name: String, inAccount account: String) -> Agency? {
        agencies.first { $0.account == account && $0.name == name }
    }

    /// Checks the identity settings: unique agencies and identity providers with usable keys, a
    /// metadata agency that exists, positive lifetimes.
    func validateIdentities() throws(SimulatorError) {
        var seenAgencies: Set<[String]> = []
        for (index, agency) in agencies.enumerated() {
            guard !agency.account.isEmpty, !agency.name.isEmpty, !agency.trustedAccount.isEmpty else {
                throw .invalidConfiguration("agencies[\(index)] needs an account, a name and a trusted account")
            }
            guard seenAgencies.insert([agency.account, agency.name]).inserted else {
                throw .invalidConfiguration("agencies[\(index)] repeats the agency \(agency.name) of account \(agency.account)")
            }
            guard agency.maximumSession >= .seconds(3600), agency.maximumSession <= .seconds(43_200) else {
                throw .invalidConfiguration("agencies[\(index)] has a maximum session outside 3600…43200 seconds")
            }
        }
        var seenProviders: Set<String> = []
        for (index, provider) in identityProviders.enumerated() {
            guard !provider.id.isEmpty, seenProviders.insert(provider.id).inserted else {
                throw .invalidConfiguration("identity_providers[\(index)] has an empty or repeated id")
            }
            guard IDTokenVerifier.PublicKey(pem: provider.publicKeyPEM) != nil else {
                throw .invalidConfiguration("identity_providers[\(index)] has a public key that is not a P-256 or RSA PEM public key")
            }
            guard provider.tokenLifetime > .zero else {
                throw .invalidConfiguration("identity_providers[\(index)] has a token lifetime that is not positive")
            }
        }
        if let temporaryKeyLifetime, temporaryKeyLifetime <= .zero {
            throw .invalidConfiguration("the temporary key lifetime is not positive")
        }
        if let metadata {
            guard agency(named: metadata.agencyName, inAccount: metadata.agencyAccount) != nil else {
                throw .invalidConfiguration(
                    "the metadata agency \(metadata.agencyName) of account \(metadata.agencyAccount) is not among the agencies"
                )
            }
            guard metadata.keyLifetime > .zero else {
                throw .invalidConfiguration("the metadata key lifetime is not positive")
            }
        }
    }
}

extension Duration {
    /// The duration in seconds, as a `TimeInterval` to add to a `Date`.
    var timeInterval: TimeInterval {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
