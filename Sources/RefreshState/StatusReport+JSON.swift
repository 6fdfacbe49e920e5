#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension StatusReport: Encodable {
    private enum CodingKeys: String, CodingKey {
        case clusters, health, exitCode, generatedAt, stateUpdatedAt, listingFailures
    }

    /// Every key is always there, `null` when there is no value, so scripts see one shape.
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(rows, forKey: .clusters)
        try container.encode(health, forKey: .health)
        try container.encode(health.exitCode, forKey: .exitCode)
        try container.encode(generatedAt, forKey: .generatedAt)
        try container.encode(stateUpdatedAt, forKey: .stateUpdatedAt)
        try container.encode(listingFailures, forKey: .listingFailures)
    }

    /// `status --json`: sorted keys, ISO 8601 dates, pretty printed, ending in a newline.
    package func json() -> String {
        do {
            return String(decoding: try StableJSON.encoder().encode(self), as: UTF8.self) + "\n"
        } catch {
            preconditionFailure("a status report holds only strings, numbers and dates: \(error)")
        }
    }
}
