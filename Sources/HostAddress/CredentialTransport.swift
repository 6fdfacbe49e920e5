/// Whether a URL may receive credentials (AK/SK-signed requests, passwords, tokens, and the
/// client keys in the answers): `https://` to any host, plain `http://` only to loopback.
package enum CredentialTransport: Sendable, Hashable {
    /// `https://`.
    case encrypted
    /// `http://` to a loopback host, where only a local test server can listen.
    case plainToLoopback
    /// `http://` to a host that may be another machine: refused.
    case plainOffMachine
    /// Neither `https://` nor `http://`: refused.
    case unsupportedScheme

    /// The verdict for a URL's scheme (any case) and host.
    package init(scheme: String, host: String) {
        switch scheme.lowercased() {
        case "https": self = .encrypted
        case "http": self = LoopbackHost.contains(host) ? .plainToLoopback : .plainOffMachine
        default: self = .unsupportedScheme
        }
    }

    /// Whether credentials may be sent.
    package var isAllowed: Bool {
        self == .encrypted || self == .plainToLoopback
    }
}
