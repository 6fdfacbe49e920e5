import Kubeconfig

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The `ExecCredential` that `cce-kubeconfigd credential N` prints for client-go. Pure.
///
/// `expirationTimestamp` is set a little before the certificate's `notAfter`, so that client-go
/// runs the plugin again while the old certificate still works, not after a request failed.
package struct ExecCredential: Sendable, Hashable {
    /// The longest lead before `notAfter`.
    package static let maximumLead: Duration = .seconds(300)

    package var credential: ClientCredential
    package var expirationTimestamp: Date

    /// The answer for a certificate valid as `validity`: it expires ``expiration(of:)``.
    package init(credential: ClientCredential, validity: CertificateValidity) {
        self.credential = credential
        self.expirationTimestamp = Self.expiration(of: validity)
    }

    /// `notAfter` less a tenth of the lifetime, at most five minutes, rounded down to the second
    /// (the timestamp has no fraction).
    package static func expiration(of validity: CertificateValidity) -> Date {
        let lead = min(Double(maximumLead.components.seconds), max(0, validity.lifetime) / 10)
        return Date(timeIntervalSince1970: (validity.notAfter.timeIntervalSince1970 - lead).rounded(.down))
    }

    /// Whether the certificate is still worth handing out at `now`: before ``expiration(of:)``.
    /// After it, client-go would run the plugin again at once for every request.
    package static func isUsable(_ validity: CertificateValidity, at now: Date) -> Bool {
        now < expiration(of: validity)
    }

    /// The JSON text, one line and a newline; PEM texts escaped as JSON strings.
    package var json: [UInt8] {
        var text = #"{"apiVersion":""# + ExecPlugin.apiVersion + #"","kind":"ExecCredential","status":{"#
        text += #""clientCertificateData":"# + Self.quoted(credential.certificatePEM)
        text += #","clientKeyData":"# + Self.quoted(credential.privateKeyPEM)
        text += #","expirationTimestamp":""# + expirationTimestamp.formatted(.iso8601) + #""}}"#
        return Array(text.utf8) + [UInt8(ascii: "\n")]
    }

    /// A JSON string of UTF-8 text: quotes, backslashes and control characters escaped.
    static func quoted(_ bytes: [UInt8]) -> String {
        var out = "\""
        for scalar in String(decoding: bytes, as: UTF8.self).unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

extension ExecCredential: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The expiry only: the key never reaches a log or a test failure.
    package var description: String { "ExecCredential(expires \(expirationTimestamp.formatted(.iso8601)))" }

    package var debugDescription: String { description }

    package var customMirror: Mirror { Mirror(self, children: [:]) }
}
