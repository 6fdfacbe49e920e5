#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One named way to authenticate to Huawei Cloud, from the config's `credentials:` mapping.
///
/// Secrets are references (``SecretSource``) resolved by the CCE client when it signs or logs
/// in; descriptions and mirrors name where each secret comes from, never its value.
package enum CredentialSet: Sendable, Hashable, CustomStringConvertible, CustomReflectable {
    /// The value of a set's `type:` key.
    package enum Kind: String, Sendable, Hashable, CaseIterable {
        case aksk
        case token
        case password
        case sdk
        case agency
        case oidc
        case metadata
        case process
    }

    /// A permanent access key pair, or a temporary one with its security token (signed requests).
    case aksk(accessKey: SecretSource, secretKey: SecretSource, securityToken: SecretSource?)
    /// A ready IAM token, sent as `X-Auth-Token`.
    case token(SecretSource)
    /// An IAM user's password, exchanged for a project-scoped token at `iamEndpoint`
    /// (`nil`: the global IAM endpoint), trusting `caFile` in addition to the system roots.
    case password(user: String, domain: String, password: SecretSource, iamEndpoint: URL?, caFile: String?)
    /// Whatever Huawei's SDKs would find: the `HUAWEICLOUD_SDK_*` variables, then
    /// `~/.huaweicloud/credentials`. Resolved when used, not when the config is read.
    case sdk
    /// Temporary keys of an IAM agency, assumed with another set's credentials.
    case agency(AgencySet)
    /// Temporary keys for an OIDC id token.
    case oidc(OIDCSet)
    /// Temporary keys of the agency attached to this ECS, from the metadata service at
    /// `endpoint` (`nil`: the link-local address; anything else must be loopback, for tests).
    case metadata(endpoint: URL?)
    /// Temporary keys or a token printed by a command.
    case process(ProcessSet)

    package var kind: Kind {
        switch self {
        case .aksk: .aksk
        case .token: .token
        case .password: .password
        case .sdk: .sdk
        case .agency: .agency
        case .oidc: .oidc
        case .metadata: .metadata
        case .process: .process
        }
    }

    /// Whether the set's credentials are temporary keys or a token this daemon obtains itself
    /// and renews before they expire.
    package var isExchanged: Bool {
        switch self {
        case .agency, .oidc, .metadata, .process: true
        case .aksk, .token, .password, .sdk: false
        }
    }

    package var description: String {
        switch self {
        case .aksk(let accessKey, let secretKey, let securityToken):
            let token = securityToken.map { ", security token: \($0)" } ?? ""
            return "aksk(access key: \(accessKey), secret key: \(secretKey)\(token))"
        case .token(let token):
            return "token(\(token))"
        case .password(let user, let domain, let password, let iamEndpoint, let caFile):
            let endpoint = iamEndpoint.map { ", IAM endpoint: \($0.absoluteString)" } ?? ""
            let ca = caFile.map { ", CA file: \($0)" } ?? ""
            return "password(user: \(user), domain: \(domain), password: \(password)\(endpoint)\(ca))"
        case .sdk:
            return "sdk"
        case .agency(let agency):
            return agency.description
        case .oidc(let oidc):
            return oidc.description
        case .metadata(let endpoint):
            return "metadata(\(endpoint?.absoluteString ?? "link-local"))"
        case .process(let process):
            return process.description
        }
    }

    package var customMirror: Mirror {
        Mirror(self, children: ["credentials": description], displayStyle: .enum)
    }
}
