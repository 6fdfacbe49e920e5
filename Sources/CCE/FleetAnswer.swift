import WatchList

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Strict readings of the fleet answers: all of an answer or nothing, so that a damaged list
/// can never look like a list from which clusters disappeared.
///
/// Only the fields a summary needs are read, and fields beyond them are ignored, which is what
/// makes both clouds' shapes acceptable: Open Telekom Cloud writes `status.endpoints` as an object
/// and timestamps in Go's format (`2026-06-10 14:06:58.211095 +0000 UTC`), Huawei Cloud a list
/// and ISO 8601; neither is read.
enum FleetAnswer {
    /// The clusters of a ListClusters answer of `projectID` in `region`.
    ///
    /// Every item needs a non-empty `metadata.name` and `metadata.uid` and a `status.phase`;
    /// `metadata.labels` must be strings when present; `spec.category` must be `CCE` or `Turbo`
    /// when present (absent: `CCE`). Autopilot's path lists Autopilot clusters whatever their
    /// category. A cluster id listed twice refuses the answer.
    ///
    /// - Throws: an invalid-response failure naming the first item and field that is wrong.
    static func clusters(
        _ body: [UInt8],
        region: String,
        projectID: String,
        type: WatchedCluster.ClusterType
    ) throws(ServiceFailure) -> [ClusterSummary] {
        let items = try decode(ClusterList.self, from: body).items
        var seen: Set<String> = []
        var summaries: [ClusterSummary] = []
        for (index, item) in items.enumerated() {
            let place = "items[\(index)]"
            guard !item.metadata.name.isEmpty, !item.metadata.uid.isEmpty, !item.status.phase.isEmpty else {
                throw invalid("\(place) has an empty metadata.name, metadata.uid or status.phase")
            }
            guard seen.insert(item.metadata.uid).inserted else {
                throw invalid("\(place) repeats the cluster id \(OneLine.clip(item.metadata.uid, limit: 64))")
            }
            let category: ClusterSummary.Category
            if type == .autopilot {
                category = .autopilot
            } else {
                switch item.spec?.category {
                case nil, "CCE": category = .cce
                case "Turbo": category = .turbo
                case let other?:
                    throw invalid("\(place).spec.category \"\(OneLine.clip(other, limit: 32))\" is neither CCE nor Turbo")
                }
            }
            summaries.append(
                ClusterSummary(
                    id: item.metadata.uid,
                    name: item.metadata.name,
                    category: category,
                    phase: item.status.phase,
                    labels: item.metadata.labels ?? [:],
                    region: region,
                    projectID: projectID
                )
            )
        }
        return summaries
    }

    /// The projects of an IAM project list, leaving out the disabled ones and those without a
    /// name (IAM lists such a project in some accounts).
    ///
    /// - Throws: an invalid-response failure naming the first project and field that is wrong.
    static func projects(_ body: [UInt8]) throws(ServiceFailure) -> [ProjectSummary] {
        let projects = try decode(ProjectList.self, from: body).projects
        return projects.compactMap { project in
            guard project.enabled != false, !project.name.isEmpty, !project.id.isEmpty else { return nil }
            return ProjectSummary(id: project.id, name: project.name)
        }
    }

    private static func decode<T: Decodable>(_ type: T.Type, from body: [UInt8]) throws(ServiceFailure) -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(body))
        } catch let error as DecodingError {
            throw invalid(explain(error))
        } catch {
            throw invalid("it is not JSON")
        }
    }

    private static func invalid(_ reason: String) -> ServiceFailure {
        ServiceFailure(.invalidResponse(reason: reason))
    }

    /// `items[3].metadata.uid is missing`, `items is not a list`, `it is not JSON`.
    private static func explain(_ error: DecodingError) -> String {
        func place(_ path: [any CodingKey]) -> String {
            let text = path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return text.isEmpty ? "the document" : String(text.drop { $0 == "." })
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "\(place(context.codingPath + [key])) is missing"
        case .typeMismatch(let type, let context):
            let expected =
                if type == String.self {
                    "a string"
                } else if type == [Any].self {
                    "a list"
                } else if type == [String: Any].self {
                    "an object"
                } else {
                    "of the expected type"
                }
            return "\(place(context.codingPath)) is not \(expected)"
        case .valueNotFound(_, let context):
            return "\(place(context.codingPath)) is null"
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return "it is not JSON"
        case .dataCorrupted(let context):
            return "\(place(context.codingPath)) cannot be read"
        @unknown default:
            return "it cannot be read"
        }
    }

    private struct ClusterList: Decodable {
        struct Item: Decodable {
            struct Metadata: Decodable {
                var name: String
                var uid: String
                var labels: [String: String]?
            }
            struct Spec: Decodable {
                var category: String?
            }
            struct Status: Decodable {
                var phase: String
            }
            var metadata: Metadata
            var spec: Spec?
            var status: Status
        }
        var items: [Item]
    }

    private struct ProjectList: Decodable {
        struct Project: Decodable {
            var id: String
            var name: String
            var enabled: Bool?
        }
        var projects: [Project]
    }
}
