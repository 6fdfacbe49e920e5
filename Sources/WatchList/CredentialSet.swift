#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One named way to authenticate to Huawei Cloud, from the config's `credentials:` mapping.
///
/// Secrets are references (``SecretSource``) resolved by the CCE client when it signs or logs
/// in; descriptions and mirrors name where each secret comes from, never its value.
public enum CredentialSet: Sendable, Hashable, CustomStringConvertible, CustomReflectable {
    /// The value of a set's `type:` key.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case aksk
        case token
        case password
        case sdk
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

    public var kind: Kind {
        switch self {
        case .aksk: .aksk
        case .token: .token
        case .password: .password
        case .sdk: .sdk
        }
    }

    public var description: String {
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
        }
    }

    public var customMirror: Mirror {
        Mirror(self, children: ["credentials": description], displayStyle: .enum)
    }
}
