import Fleet
import RefreshCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Everything in the state file: per watch name, the daemon's ``ClusterState``; and the project
/// and cluster ids the fleet's names were resolved to, so that a restart fetches without listing.
///
/// The JSON is stable (sorted keys, ISO 8601 dates to the second, pretty printed) so that a
/// rewrite with nothing new changes no byte and a person can read and diff it.
package struct RefreshStateSnapshot: Sendable, Hashable, Codable {
    /// The layout written by this version; a file with a higher one is refused rather than
    /// half understood.
    package static let currentVersion = 1

    package var version: Int
    /// When the daemon last wrote the state: how current `status` is.
    package var updatedAt: Date
    /// Per watch name.
    package var clusters: [String: ClusterState]
    /// The ids found by name. The key `resolutions` is left out when there are none (a watch
    /// list of ids), and a file without it (an older daemon's) reads as none.
    package var resolutions: ResolutionCache
    /// The list calls the last listing of the fleet could not make, each one sentence; nothing
    /// they could have shown was pruned. Left out when there are none.
    package var listingFailures: [String]

    package init(
        version: Int = currentVersion,
        updatedAt: Date,
        clusters: [String: ClusterState] = [:],
        resolutions: ResolutionCache = ResolutionCache(),
        listingFailures: [String] = []
    ) {
        self.version = version
        self.updatedAt = updatedAt
        self.clusters = clusters
        self.resolutions = resolutions
        self.listingFailures = listingFailures
    }

    private enum CodingKeys: String, CodingKey {
        case version, updatedAt, clusters, resolutions, listingFailures
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        version = try container.decode(Int.self, forKey: .version)
        updatedAt = try container.decode(Date.self, forKey: .updatedAt)
        clusters = try container.decode([String: ClusterState].self, forKey: .clusters)
        resolutions = try container.decodeIfPresent(ResolutionCache.self, forKey: .resolutions) ?? ResolutionCache()
        listingFailures = try container.decodeIfPresent([String].self, forKey: .listingFailures) ?? []
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(version, forKey: .version)
        try container.encode(updatedAt, forKey: .updatedAt)
        try container.encode(clusters, forKey: .clusters)
        if !resolutions.isEmpty { try container.encode(resolutions, forKey: .resolutions) }
        if !listingFailures.isEmpty { try container.encode(listingFailures, forKey: .listingFailures) }
    }

    /// The stable JSON text, ending in a newline.
    package func encoded() -> [UInt8] {
        do {
            return Array(try StableJSON.encoder().encode(self)) + [UInt8(ascii: "\n")]
        } catch {
            preconditionFailure("a state snapshot holds only strings, numbers and dates: \(error)")
        }
    }

    /// Reads the JSON made by ``encoded()``. Unknown keys are ignored, so a newer daemon may add some.
    package init(json bytes: [UInt8]) throws {
        self = try StableJSON.decoder().decode(Self.self, from: Data(bytes))
    }
}
