import Logging

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension CCEClient {
    /// What a client reads from its surroundings, all injectable so tests need no real network,
    /// environment or clock.
    package struct Configuration: Sendable {
        /// Where `HUAWEICLOUD_SDK_REGION_CCE_<REGION>` endpoint overrides are looked up; usually
        /// the process environment. Empty by default: nothing is read implicitly.
        package var environment: [String: String]
        /// Which requests go through a proxy; usually `try ProxySettings(environment:)`.
        package var proxy: ProxySettings
        /// The limit on connecting: TCP, a proxy's `CONNECT` and the TLS handshake.
        package var connectTimeout: Duration
        /// The limit on a whole request, from sending it to the answer's last byte.
        package var requestTimeout: Duration
        /// The wall clock: signature dates, token expiry, certificate validity.
        package var now: @Sendable () -> Date
        /// Where temporary credentials obtained and renewed are logged (never a secret), and a
        /// credential process's standard error.
        package var logger: Logger

        package init(
            environment: [String: String] = [:],
            proxy: ProxySettings = .direct,
            connectTimeout: Duration = .seconds(10),
            requestTimeout: Duration = .seconds(30),
            now: @escaping @Sendable () -> Date = { Date() },
            logger: Logger = Logger(label: "cce-kubeconfigd")
        ) {
            self.logger = logger
            self.environment = environment
            self.proxy = proxy
            self.connectTimeout = connectTimeout
            self.requestTimeout = requestTimeout
            self.now = now
        }
    }
}
