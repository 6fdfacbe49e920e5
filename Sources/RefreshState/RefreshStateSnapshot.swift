#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import RefreshCore

/// Everything in the state file: per watch name, the daemon's ``ClusterState``.
///
/// The JSON is stable (sorted keys, ISO 8601 dates to the second, pretty printed) so that a
/// rewrite with nothing new changes no byte and a person can read and diff it.
public struct RefreshStateSnapshot: Sendable, Hashable, Codable {
    /// The layout written by this version; a file with a higher one is refused rather than
    /// half understood.
    public static let currentVersion = 1

    public var version: Int
    /// When the daemon last wrote the state: how current `status` is.
    public var updatedAt: Date
    /// Per watch name.
    public var clusters: [String: ClusterState]

    public init(version: Int = currentVersion, updatedAt: Date, clusters: [String: ClusterState] = [:]) {
        self.version = version
        self.updatedAt = updatedAt
        self.clusters = clusters
    }

    /// The stable JSON text, ending in a newline.
    public func encoded() -> [UInt8] {
        do {
            return Array(try StableJSON.encoder().encode(self)) + [UInt8(ascii: "\n")]
        } catch {
            preconditionFailure("a state snapshot holds only strings, numbers and dates: \(error)")
        }
    }

    /// Reads the JSON made by ``encoded()``. Unknown keys are ignored, so a newer daemon may add some.
    public init(json bytes: [UInt8]) throws {
        self = try StableJSON.decoder().decode(Self.self, from: Data(bytes))
    }
}
