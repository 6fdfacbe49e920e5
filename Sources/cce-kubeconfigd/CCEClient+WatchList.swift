import CCE
import WatchList

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension CCEClient {
    /// The client `sync` and `run` use: the proxy from the environment, the watch list's
    /// `request_timeout` for every request, at most 10 s of it for connecting.
    static func forWatchList(_ watchList: WatchListConfig, environment: [String: String]) throws -> CCEClient {
        let proxy: ProxySettings
        do {
            proxy = try ProxySettings(environment: environment)
        } catch {
            throw CommandFailure("\(error)")
        }
        return CCEClient(
            configuration: .init(
                environment: environment,
                proxy: proxy,
                connectTimeout: min(.seconds(10), watchList.requestTimeout),
                requestTimeout: watchList.requestTimeout
            )
        )
    }
}
