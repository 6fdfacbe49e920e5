import Foundation
import Testing

@testable import CCE

/// `HTTPS_PROXY`/`NO_PROXY` read the way curl and Go read them, since async-http-client reads neither.
@Suite struct ProxySettingsTests {
    private func settings(_ environment: [String: String]) throws -> ProxySettings {
        try ProxySettings(environment: environment)
    }

    private func proxied(_ url: String, _ environment: [String: String]) throws -> ProxyServer? {
        try settings(environment).proxy(for: try #require(URL(string: url)))
    }

    private let proxy = ["HTTPS_PROXY": "http://proxy.corp:3128"]

    @Test func noVariableMeansDirect() throws {
        #expect(try settings([:]) == .direct)
        #expect(try proxied("https://cce.cn-north-4.myhuaweicloud.com", [:]) == nil)
    }

    @Test func httpsProxyIsUsedForHTTPSRequests() throws {
        #expect(try proxied("https://cce.cn-north-4.myhuaweicloud.com", proxy) == ProxyServer(host: "proxy.corp", port: 3128))
    }

    @Test func lowerCaseVariableWinsLikeCurl() throws {
        let environment = ["HTTPS_PROXY": "http://upper:1", "https_proxy": "http://lower:2"]
        #expect(try settings(environment).proxy == ProxyServer(host: "lower", port: 2))
    }

    @Test func emptyVariableCountsAsUnset() throws {
        let environment = ["https_proxy": "", "HTTPS_PROXY": "http://upper:1"]
        #expect(try settings(environment).proxy == ProxyServer(host: "upper", port: 1))
    }

    @Test func schemeIsOptionalAndPortDefaultsTo80() throws {
        #expect(try settings(["HTTPS_PROXY": "proxy.corp:8080"]).proxy == ProxyServer(host: "proxy.corp", port: 8080))
        #expect(try settings(["HTTPS_PROXY": "http://proxy.corp"]).proxy == ProxyServer(host: "proxy.corp", port: 80))
        #expect(try settings(["HTTPS_PROXY": "http://[fd00::1]:3128/"]).proxy == ProxyServer(host: "fd00::1", port: 3128))
    }

    @Test func credentialsAreDecodedAndNeverDescribed() throws {
        let server = try #require(try settings(["HTTPS_PROXY": "http://alice:p%40ss%3Aword@proxy.corp:3128"]).proxy)
        #expect(server.username == "alice")
        #expect(server.password == "p@ss:word")
        #expect(server.description == "http://alice:<redacted>@proxy.corp:3128")
        var dumped = ""
        dump(server, to: &dumped)
        #expect(!dumped.contains("p@ss"))
    }

    @Test(arguments: ["https://proxy.corp:3128", "socks5://proxy.corp:1080", "http://:3128", "http://proxy.corp:99999"])
    func unusableProxyIsRefusedNamingTheVariableOnly(value: String) {
        let error = #expect(throws: ProxySettingsError.self) { try ProxySettings(environment: ["https_proxy": value + "?secret=hunter2"]) }
        #expect(error?.variable == "https_proxy")
        #expect(error?.description.contains("hunter2") == false)
    }

    @Test func loopbackAndPlainHTTPAreNeverProxied() throws {
        #expect(try proxied("https://127.0.0.1:8443", proxy) == nil)
        #expect(try proxied("https://127.1.2.3", proxy) == nil)
        #expect(try proxied("https://localhost:8443", proxy) == nil)
        #expect(try proxied("https://[::1]:8443", proxy) == nil)
        #expect(try proxied("https://[0:0:0:0:0:0:0:1]:8443", proxy) == nil)
        #expect(try proxied("https://127.1:8443", proxy) == nil)
        #expect(try proxied("http://127.0.0.1:8080", proxy) == nil)
    }

    @Test func starExcludesEverything() throws {
        #expect(try proxied("https://cce.cn-north-4.myhuaweicloud.com", proxy.merging(["NO_PROXY": "*"]) { $1 }) == nil)
    }

    @Test(
        arguments: [
            ("myhuaweicloud.com", "cce.cn-north-4.myhuaweicloud.com", true),
            ("myhuaweicloud.com", "myhuaweicloud.com", true),
            (".myhuaweicloud.com", "cce.cn-north-4.myhuaweicloud.com", true),
            (".myhuaweicloud.com", "myhuaweicloud.com", true),
            ("*.myhuaweicloud.com", "iam.myhuaweicloud.com", true),
            ("myhuaweicloud.com", "notmyhuaweicloud.com", false),
            ("cn-north-4.myhuaweicloud.com", "cce.ap-southeast-1.myhuaweicloud.com", false),
            ("MyHuaweiCloud.COM.", "cce.cn-north-4.myhuaweicloud.com", true),
            ("cce.cn-north-4.myhuaweicloud.com:443", "cce.cn-north-4.myhuaweicloud.com", true),
            ("cce.cn-north-4.myhuaweicloud.com:8443", "cce.cn-north-4.myhuaweicloud.com", false),
            ("10.0.0.0/8", "10.20.30.40", true),
            ("10.0.0.0/8", "11.0.0.1", false),
            ("10.0.0.0/8", "ten.example.com", false),
            ("10.0.0.0/8", "10.1", true),  // the resolver reads 10.1 as 10.0.0.1
            ("10.0.0.0/8", "010.0.0.1", false),  // and 010 as octal: the request goes to 8.0.0.1
            ("127.0.0.0/8", "0127.0.0.1", false),  // 87.0.0.1
            ("203.0.113.7", "203.0.113.7", true),
            ("203.0.113.7:443", "203.0.113.7", true),
            ("203.0.113.7:8443", "203.0.113.7", false),
            ("fd00::/8", "[fd12::1]", true),
            ("[fd00::1]:443", "[fd00::1]", true),
            ("fd00::1", "[fd00::2]", false),
        ] as [(String, String, Bool)]
    )
    func noProxyEntryDecidesByHostSuffixAddressNetworkAndPort(entry: String, host: String, bypasses: Bool) throws {
        let environment = proxy.merging(["no_proxy": "example.org, \(entry) ,"]) { $1 }
        let chosen = try proxied("https://\(host)/api", environment)
        #expect((chosen == nil) == bypasses)
    }

    @Test(arguments: ["cce.example.com:http", "cce.example.com:0", "10.0.0.0/40", "nonsense/8"])
    func malformedNoProxyEntryIsRefusedAndQuoted(entry: String) {
        let error = #expect(throws: ProxySettingsError.self) { try ProxySettings(environment: ["NO_PROXY": entry]) }
        #expect(error?.variable == "NO_PROXY")
        #expect(error?.description.contains("\"\(entry)\"") == true)
    }
}
