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
