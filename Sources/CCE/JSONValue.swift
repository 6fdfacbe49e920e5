#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Any JSON value, for reading answers whose shape varies (error bodies, IAM tokens, KooCLI files)
/// without a `Codable` model per variant.
enum JSONValue: Sendable, Hashable, Decodable {
    case string(String)
    case number(Double)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let bool = try? container.decode(Bool.self) {
            self = .bool(bool)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let string = try? container.decode(String.self) {
            self = .string(string)
        } else if let array = try? container.decode([JSONValue].self) {
            self = .array(array)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// The value of `bytes` when they are a JSON document; `nil` otherwise.
    static func parse(_ bytes: [UInt8]) -> JSONValue? {
        try? JSONDecoder().decode(JSONValue.self, from: Data(bytes))
    }

    /// The member `key` of an object.
    subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members[key]
    }

    /// A string as is, or an integral number written without a fraction (IAM writes `"code": 401`).
    var text: String? {
        switch self {
        case .string(let string):
            string
        case .number(let number) where number.rounded() == number && abs(number) < 1e15:
            String(Int64(number))
        case .number(let number):
            String(number)
        default:
            nil
        }
    }

    /// The string of a `.string`; `nil` for any other value.
    var string: String? {
        guard case .string(let string) = self else { return nil }
        return string
    }
}
