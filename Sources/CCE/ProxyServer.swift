/// An HTTP proxy that HTTPS requests tunnel through with `CONNECT` (TLS stays end to end).
///
/// The description shows the user name but never the password.
package struct ProxyServer: Sendable, Hashable, CustomStringConvertible, CustomReflectable {
    package var host: String
    package var port: Int
    /// Basic credentials for the proxy, from `http://user:password@host:port`.
    package var username: String?
    package var password: String?

    package init(host: String, port: Int, username: String? = nil, password: String? = nil) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
    }

    package var description: String {
        let user = username.map { password == nil ? "\($0)@" : "\($0):<redacted>@" } ?? ""
        let bracketed = host.contains(":") ? "[\(host)]" : host
        return "http://\(user)\(bracketed):\(port)"
    }

    package var customMirror: Mirror {
        Mirror(self, children: ["proxy": description], displayStyle: .struct)
    }
}
