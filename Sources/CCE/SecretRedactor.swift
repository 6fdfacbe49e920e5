#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Removes known secret values from text a server sent back, before it reaches an error message.
///
/// The gateway echoes the access key in some messages (`Get secretKey failed,ak:...`), and a
/// broken or hostile server could echo anything it received.
struct SecretRedactor: Sendable {
    /// Secrets shorter than this are not searched for: they would match ordinary words.
    static let minimumLength = 4

    private let secrets: [String]

    init(secrets: [String]) {
        // Longest first, so a secret containing another is replaced whole.
        self.secrets = secrets.filter { $0.count >= Self.minimumLength }.sorted { $0.count > $1.count }
    }

    /// This redactor with one more secret.
    func adding(_ secret: String) -> SecretRedactor {
        SecretRedactor(secrets: secrets + [secret])
    }

    /// `text` with every occurrence of a secret replaced by `<redacted>`.
    func redact(_ text: String) -> String {
        secrets.reduce(text) { $0.replacing($1, with: "<redacted>") }
    }

    func redact(_ body: ServiceErrorBody?) -> ServiceErrorBody? {
        guard var body else { return nil }
        body.code = body.code.map(redact)
        body.message = body.message.map(redact)
        body.requestID = body.requestID.map(redact)
        return body
    }
}
