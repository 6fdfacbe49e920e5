/// The rule behind "plain `http://` only for loopback".
///
/// A loopback address never leaves the machine, so only a local test server can answer it; any
/// other host would see tokens, signed requests and the returned client keys in the clear.
package enum LoopbackHost {
    /// Whether `host` (a URL's host, with or without IPv6 brackets) can only be this machine:
    /// `localhost`, or an address in 127.0.0.0/8 or `::1` in any spelling the resolver reads as
    /// one (`127.1`, `0x7f.0.0.1`, `[0:0:0:0:0:0:0:1]`, `::ffff:127.0.0.1`).
    ///
    /// `0127.0.0.1` is not loopback: the resolver reads a leading `0` as octal, 87.0.0.1. Names
    /// under `.localhost` are not either: glibc resolves them through DNS like any other name.
    package static func contains(_ host: some StringProtocol) -> Bool {
        let host = host.lowercased()
        if host == "localhost" || host == "localhost." { return true }
        return IPAddress(resolving: host)?.isLoopback ?? false
    }
}
