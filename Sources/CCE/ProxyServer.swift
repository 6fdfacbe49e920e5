/// An HTTP proxy that HTTPS requests tunnel through with `CONNECT` (TLS stays end to end).
///
/// The description shows the user name but never the password.
public struct ProxyServer: Sendable, Hashable, CustomStringConvertible, CustomReflectable {
    public var host: String
    public var port: Int
    /// Basic credentials for the proxy, from `http://user:password@host:port`.
    public var username: String?
    public var password: String?

    public init(host: String, port: Int, username: String? = nil, password: String? = nil) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
    }

    public var description: String {
        let user = username.map { password == nil ? "\($0)@" : "\($0):<redacted>@" } ?? ""
        let bracketed = host.contains(":") ? "[\(host)]" : host
        return "http://\(user)\(bracketed):\(port)"
    }

    public var customMirror: Mirror {
        Mirror(self, children: ["proxy": description], displayStyle: .struct)
    }
}
