import CCESigning
import WatchList

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Temporary access keys with their security token, or a token, obtained by an exchange and
/// valid until `expiresAt`. Kept in memory only; descriptions never show a secret.
struct TemporaryCredential: Expiring, CustomStringConvertible, CustomReflectable {
    enum Authentication: Sendable, Hashable {
        case accessKey(AccessKeyCredential)
        case token(String)
    }

    var authentication: Authentication
    var expiresAt: Date

    /// How a request sends it.
    var requestAuthentication: RequestAuthentication {
        switch authentication {
        case .accessKey(let key): .signed(key)
        case .token(let token): .token(token)
        }
    }

    /// The values that must never appear in a message.
    var secrets: [String] {
        switch authentication {
        case .accessKey(let key): [key.accessKey, key.secretKey] + (key.securityToken.map { [$0] } ?? [])
        case .token(let token): [token]
        }
    }

    var description: String {
        switch authentication {
        case .accessKey(let key): "TemporaryCredential(\(key), expires \(expiresAt))"
        case .token: "TemporaryCredential(token <redacted>, expires \(expiresAt))"
        }
    }

    var customMirror: Mirror {
        Mirror(self, children: ["credential": description], displayStyle: .struct)
    }
}

/// How the temporary credentials of a set are obtained, with everything the exchange needs
/// resolved: the source's credential, the endpoints. Made by ``CredentialResolver``; run by
/// ``CCEClient``, which keeps the result for every cluster of the set.
package indirect enum CredentialExchange: Sendable, Hashable, CustomStringConvertible {
    /// Assume `agency` with the credential of the set `sourceSet`, at `endpoint` (IAM or STS).
    case agency(AgencySet, endpoint: URL, sourceSet: String, source: ResolvedCredential)
    /// Exchange the id token of `oidc` at `iamEndpoint`.
    case oidc(OIDCSet, iamEndpoint: URL)
    /// Read the ECS metadata service's `securitykey` at `endpoint`; `searchedFirst` names what
    /// `type: sdk` found empty before it came to the metadata service.
    case metadata(endpoint: URL, searchedFirst: [String] = [])
    /// Run a credential process.
    case process(ProcessSet)

    package var description: String {
        switch self {
        case .agency(let agency, _, let sourceSet, _):
            "the temporary keys of \(agency.agencyDescription), assumed as credential set \"\(sourceSet)\""
        case .oidc(let oidc, _): "a federated token of identity provider \(oidc.idpID)"
        case .metadata(let endpoint, _): "the temporary keys of the ECS metadata service at \(endpoint.absoluteString)"
        case .process(let process): "the output of the command \(process.program)"
        }
    }

    /// What messages say is being obtained when the exchange fails.
    var obtaining: String {
        switch self {
        case .agency(let agency, _, _, _): "the temporary keys of \(agency.agencyDescription)"
        case .oidc(let oidc, _): "a federated token for identity provider \(oidc.idpID)"
        case .metadata(_, let searched) where !searched.isEmpty:
            "the temporary keys of this server's agency from the ECS metadata service, where the SDK chain looks last (nothing was in \(searched.joined(separator: ", ")))"
        case .metadata: "the temporary keys of this server's agency from the ECS metadata service"
        case .process(let process): "credentials from the command \(process.program)"
        }
    }

    /// The secrets the exchange sends (a source's keys and tokens), kept out of its error messages.
    var secrets: [String] {
        switch self {
        case .agency(_, _, _, let source): source.secrets
        case .oidc, .metadata, .process: []
        }
    }
}

/// The address of the ECS metadata service, which no other URL may stand for but a loopback one.
package enum MetadataService {
    package static let endpoint = URL(string: "http://169.254.169.254")!
    package static let securityKeyPath = "/openstack/latest/securitykey"
}
