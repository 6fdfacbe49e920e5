#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// An IAM user's name and password, exchanged for a project-scoped token.
///
/// The description and mirror show who logs in where, never the password.
package struct PasswordCredential: Sendable, Hashable, CustomStringConvertible, CustomReflectable {
    /// The IAM user name.
    package var user: String
    /// The account (domain) the user belongs to.
    package var domain: String
    package var password: String
    /// Where to log in; `nil` for the cluster region's IAM endpoint (``IAMEndpoint``).
    package var iamEndpoint: URL?
    /// A PEM bundle trusted for the IAM endpoint in addition to the system roots.
    package var caFile: String?

    package init(user: String, domain: String, password: String, iamEndpoint: URL? = nil, caFile: String? = nil) {
        self.user = user
        self.domain = domain
        self.password = password
        self.iamEndpoint = iamEndpoint
        self.caFile = caFile
    }

    package var description: String {
        let endpoint = iamEndpoint.map { " at \($0.absoluteString)" } ?? ""
        return "PasswordCredential(user \(user) of \(domain)\(endpoint), password: <redacted>)"
    }

    package var customMirror: Mirror {
        Mirror(self, children: ["credential": description], displayStyle: .struct)
    }
}
