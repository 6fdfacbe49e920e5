#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// An IAM user's name and password, exchanged for a project-scoped token.
///
/// The description and mirror show who logs in where, never the password.
public struct PasswordCredential: Sendable, Hashable, CustomStringConvertible, CustomReflectable {
    /// The IAM user name.
    public var user: String
    /// The account (domain) the user belongs to.
    public var domain: String
    public var password: String
    /// Where to log in; `nil` for the cluster region's IAM endpoint (``IAMEndpoint``).
    public var iamEndpoint: URL?
    /// A PEM bundle trusted for the IAM endpoint in addition to the system roots.
    public var caFile: String?

    public init(user: String, domain: String, password: String, iamEndpoint: URL? = nil, caFile: String? = nil) {
        self.user = user
        self.domain = domain
        self.password = password
        self.iamEndpoint = iamEndpoint
        self.caFile = caFile
    }

    public var description: String {
        let endpoint = iamEndpoint.map { " at \($0.absoluteString)" } ?? ""
        return "PasswordCredential(user \(user) of \(domain)\(endpoint), password: <redacted>)"
    }

    public var customMirror: Mirror {
        Mirror(self, children: ["credential": description], displayStyle: .struct)
    }
}
