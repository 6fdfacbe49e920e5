import Foundation

/// Pieces of the secrets in some files, to check that a command's output shows none of them.
///
/// A secret is the value of a `*-data`, `token` or `password` key. Base64 PEM values all begin alike
/// (`LS0tLS1CRUdJTi...` is `-----BEGIN`), so besides the 24-character prefix each secret also contributes a
/// 24-character piece of its middle, which only that certificate or key contains, and, when it decodes to
/// PEM, a piece of the PEM body, so printing the decoded key is caught too. A leak is reported by where the
/// secret comes from, never by its text.
struct SecretFragments: Sendable {
    private struct Fragment: Sendable {
        var text: String
        var origin: String
    }

    private let fragments: [Fragment]

    static let fragmentLength = 24
    /// Values shorter than this are too likely to appear by chance to be searched for.
    private static let shortestSecret = 12

    /// The secrets of the CCE answers the tests import: every command's output is checked against these.
    static let cceAnswers: SecretFragments = {
        do {
            return try SecretFragments(files: [Fixtures.cceAnswer, Fixtures.renewedAnswer])
        } catch {
            preconditionFailure("cannot read the CCE answer fixtures: \(error)")
        }
    }()

    /// The secrets of committed files, paths relative to the repository.
    init(files: [String]) throws {
        fragments = try files.flatMap { file in
            Self.secrets(in: try Fixtures.text(file)).enumerated().flatMap { index, secret in
                Self.pieces(of: secret.value).map { Fragment(text: $0, origin: "\(secret.key) #\(index + 1) in \(file)") }
            }
        }
    }

    /// How many distinct secrets are searched for; a test checks it is not zero, so a scan cannot pass vacuously.
    var count: Int { Set(fragments.map(\.origin)).count }

    /// Where each secret found in `text` comes from (`client-key-data #3 in cce/renewed.json`); empty when none is.
    func leaks(in text: String) -> [String] {
        Array(Set(fragments.filter { text.contains($0.text) }.map(\.origin))).sorted()
    }

    private static func secrets(in text: String) -> [(key: String, value: String)] {
        let pair = /(?<key>[A-Za-z0-9_-]*(?:-data|token|password))["']?[ \t]*:[ \t]*["']?(?<value>[A-Za-z0-9+\/=._~-]+)/
        return text.matches(of: pair).map { (String($0.output.key), String($0.output.value)) }
    }

    private static func pieces(of value: String) -> [String] {
        guard value.count >= shortestSecret else { return [] }
        let prefix = String(value.prefix(fragmentLength))
        guard value.count >= 3 * fragmentLength else { return [prefix] }
        var pieces = [prefix, middle(of: value)]
        // PEM breaks lines every 64 characters: a piece of one line is what printed PEM would contain.
        if let decoded = Data(base64Encoded: value).map({ String(decoding: $0, as: UTF8.self) }), decoded.hasPrefix("-----BEGIN") {
            let body = decoded.split(separator: "\n").filter { !$0.hasPrefix("-----") }
            if let line = body.dropFirst(body.count / 2).first, line.count >= fragmentLength {
                pieces.append(String(line.prefix(fragmentLength)))
            }
        }
        return pieces
    }

    private static func middle(of text: String) -> String {
        String(text.dropFirst(text.count / 2).prefix(fragmentLength))
    }
}
