import CCESigning

/// How one request proves who sends it.
enum RequestAuthentication: Sendable {
    /// `SDK-HMAC-SHA256` signature headers, with `X-Project-Id` and, for a temporary key, `X-Security-Token`.
    case signed(AccessKeyCredential)
    /// `X-Auth-Token`: a static token, or one from a password login.
    case token(String)
}
