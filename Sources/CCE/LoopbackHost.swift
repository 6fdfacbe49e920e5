/// The rule behind "plain `http://` only for loopback".
///
/// A loopback address never leaves the machine, so only a local test server can answer it; any
/// other host would see tokens, signed requests and the returned client keys in the clear.
enum LoopbackHost {
    /// `localhost`, `127.0.0.0/8` or `::1` (with or without brackets).
    static func contains(_ host: String) -> Bool {
        let host = host.lowercased()
        if host == "localhost" || host == "localhost." { return true }
        return IPAddress(host)?.isLoopback ?? false
    }
}
