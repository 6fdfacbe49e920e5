#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A project-scoped IAM token and when it stops working.
///
/// The description shows the expiry only: a token is as good as a password for 24 hours.
struct IAMToken: Sendable, Hashable, CustomStringConvertible, CustomReflectable {
    /// The `X-Subject-Token` of the login answer, sent as `X-Auth-Token`.
    var value: String
    /// The body's `token.expires_at`.
    var expiresAt: Date

    var description: String {
        "IAMToken(<redacted>, expires \(expiresAt))"
    }

    var customMirror: Mirror {
        Mirror(self, children: ["expiresAt": expiresAt], displayStyle: .struct)
    }
}

extension IAMToken: Expiring {}

/// What a password's token is kept under: a token is scoped to one project, from one IAM endpoint.
struct IAMTokenKey: Hashable, Sendable {
    var credential: PasswordCredential
    var projectID: String
    var endpoint: URL
}

/// The project-scoped tokens of password credentials.
typealias IAMTokenCache = ExchangeCache<IAMTokenKey, IAMToken, ServiceFailure>
