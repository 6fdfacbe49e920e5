import Synchronization

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The temporary keys IAM, STS and the metadata service handed out while the simulator runs.
/// The gateway accepts each one, with its security token, until it expires.
final class IssuedKeyStore: Sendable {
    /// One temporary key and what it may do.
    struct Key: Sendable, Hashable {
        var accessKey: String
        var secretKey: String
        var securityToken: String
        var expiresAt: Date
        /// The account the key acts in: the agency's for agency keys, the token's otherwise.
        var account: String
        /// Whether the key may assume agencies in its turn.
        var mayAssumeAgencies: Bool
    }

    private let keys = Mutex<[String: Key]>([:])

    /// Makes and remembers a new key: a 20-character access key, a 40-character secret key and
    /// an opaque security token of about 1 000 characters, as IAM and STS write them.
    func issue(account: String, mayAssumeAgencies: Bool, expiresAt: Date) -> Key {
        let key = Key(
            accessKey: Self.random(20, from: Self.upperAlphanumerics),
            secretKey: Self.random(40, from: Self.alphanumerics),
            securityToken: "gQpjbi1ub3J0aC00" + Self.random(1000, from: Self.alphanumerics + Array("-_")),
            expiresAt: expiresAt,
            account: account,
            mayAssumeAgencies: mayAssumeAgencies
        )
        keys.withLock { $0[key.accessKey] = key }
        return key
    }

    /// How many keys have been handed out.
    var count: Int {
        keys.withLock { $0.count }
    }

    /// The key with this access key; `nil` for one never issued.
    func key(_ accessKey: String) -> Key? {
        keys.withLock { $0[accessKey] }
    }

    /// An opaque random token of 64 URL-safe characters.
    static func randomToken() -> String {
        random(64, from: alphanumerics + Array("-_"))
    }

    private static let upperAlphanumerics = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
    private static let alphanumerics = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")

    private static func random(_ count: Int, from alphabet: [Character]) -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<count).map { _ in alphabet.randomElement(using: &generator)! })
    }
}

extension IssuedKeyStore.Key {
    /// IAM's `credential` object, as `securitytokens` and the metadata service answer it.
    var iamCredential: JSONValue {
        [
            "access": .string(accessKey),
            "expires_at": .string(HuaweiTime.iamTimestamp(expiresAt)),
            "secret": .string(secretKey),
            "securitytoken": .string(securityToken),
        ]
    }
}
