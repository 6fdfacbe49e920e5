import NIOHTTP1

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A request ready to send: what the pure request builders produce and the transport sends as is.
struct PreparedRequest: Sendable {
    var method: HTTPMethod
    var url: URL
    /// Every header to send; a signed request's `Host` is among them, so the wire carries the
    /// authority that was signed.
    var headers: HTTPHeaders
    var body: [UInt8]
}
