/// Something about a credential that works but deserves the operator's attention.
package enum CredentialWarning: Sendable, Hashable, CustomStringConvertible {
    /// A file holding a secret can be read by its group or by others.
    case readableByOthers(path: String, mode: UInt16)

    package var description: String {
        switch self {
        case .readableByOthers(let path, let mode):
            "the secret file \(path) can be read by group or others (mode \(String(mode & 0o777, radix: 8))); chmod 600 it"
        }
    }
}
