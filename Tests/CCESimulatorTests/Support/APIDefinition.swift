import Foundation
import Testing

/// A JSON document as decoded, keeping booleans, integers and other numbers apart (Foundation's
/// `JSONSerialization` gives `NSNumber` for all three on some platforms).
indirect enum JSONDocument: Decodable, Sendable, Equatable {
    case null
    case bool(Bool)
    case integer(Int)
    case number(Double)
    case string(String)
    case array([JSONDocument])
    case object([String: JSONDocument])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONDocument].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONDocument].self))
        }
    }

    init(bytes: [UInt8]) throws {
        self = try JSONDecoder().decode(JSONDocument.self, from: Data(bytes))
    }

    subscript(key: String) -> JSONDocument? {
        if case .object(let members) = self { members[key] } else { nil }
    }

    var string: String? {
        if case .string(let text) = self { text } else { nil }
    }

    /// The same document with `value` at `path` (object keys), or without the member when `value`
    /// is `nil`: how a test breaks a good answer on purpose.
    func replacing(_ path: [String], with value: JSONDocument?) -> JSONDocument {
        guard let key = path.first, case .object(var members) = self else { return value ?? self }
        if path.count == 1 {
            members[key] = value
        } else if let member = members[key] {
            members[key] = member.replacing(Array(path.dropFirst()), with: value)
        }
        return .object(members)
    }
}

/// One operation of Huawei's published API definitions (`Tests/Fixtures/huawei-api-definitions`),
/// and a validator of answers against its response schemas.
///
/// The validator knows the keywords the definitions use (`$ref`, `type`, `properties`,
/// `required`, `additionalProperties`, `items`, `enum`, `minLength`, `maxLength`, `pattern`,
/// `minimum`, `maximum`, `minItems`, `maxItems`, `format`); any other keyword is itself reported
/// as a violation, so no constraint is skipped in silence. As in OpenAPI 2, a schema with
/// `properties` or `required` and no `type` describes an object.
struct APIDefinition: Sendable {
    let name: String
    private let document: JSONDocument

    init(_ relativePath: String) throws {
        name = relativePath
        document = try JSONDocument(bytes: try Fixtures.bytes("Tests/Fixtures/huawei-api-definitions/" + relativePath))
    }

    /// Every way `body` breaks the schema of `status`'s answer, each naming the place
    /// (`$.items[0].spec.hostNetwork`); empty when the body conforms. A property path in
    /// `exempting` (`token.domain`) is not required even where the schema requires it.
    func violations(of body: [UInt8], status: Int, exempting: Set<String> = []) -> [String] {
        do {
            return violations(of: try JSONDocument(bytes: body), status: status, exempting: exempting)
        } catch {
            return ["the body is not JSON"]
        }
    }

    /// The same for a decoded body.
    func violations(of value: JSONDocument, status: Int, exempting: Set<String> = []) -> [String] {
        guard let schema = document["responses"]?[String(status)]?["schema"] else {
            return ["\(name) defines no answer for status \(status)"]
        }
        var found: [String] = []
        check(value, against: schema, at: [], exempting: exempting, into: &found)
        return found
    }

    /// The response headers the definition declares for `status`.
    func declaredHeaders(status: Int) -> [String] {
        guard case .object(let headers)? = document["responses"]?[String(status)]?["headers"] else { return [] }
        return headers.keys.sorted()
    }

    /// Expects `answer` to have `status` and to conform to its schema and declared headers.
    func expectConforms(
        _ answer: Answer,
        status: Int,
        exempting: Set<String> = [],
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(Int(answer.status.code) == status, "\(name): \(answer.status)", sourceLocation: sourceLocation)
        let violations = violations(of: answer.body, status: status, exempting: exempting)
        #expect(violations.isEmpty, "\(name) \(status): \(violations)", sourceLocation: sourceLocation)
        for header in declaredHeaders(status: status) {
            #expect(answer.headers.first(name: header) != nil, "\(name): no \(header) header", sourceLocation: sourceLocation)
        }
    }

    private static let annotations: Set<String> = ["default", "description", "example", "title"]

    private func resolve(_ reference: String) -> JSONDocument? {
        guard reference.hasPrefix("#/") else { return nil }
        var node: JSONDocument? = document
        for part in reference.dropFirst(2).split(separator: "/") {
            node = node?[String(part)]
        }
        return node
    }

    private func check(
        _ value: JSONDocument,
        against schema: JSONDocument,
        at path: [String],
        exempting: Set<String>,
        into found: inout [String]
    ) {
        let place = "$" + path.map { $0.hasPrefix("[") ? $0 : "." + $0 }.joined()
        guard case .object(let keywords) = schema else {
            found.append("\(place): the schema is not an object")
            return
        }
        if let reference = keywords["$ref"]?.string {
            guard let target = resolve(reference) else {
                found.append("\(place): unresolved \(reference)")
                return
            }
            check(value, against: target, at: path, exempting: exempting, into: &found)
            return
        }
        let type = keywords["type"]?.string ?? (keywords["properties"] != nil || keywords["required"] != nil ? "object" : nil)
        for keyword in keywords.keys.sorted() where !Self.annotations.contains(keyword) && !keyword.hasPrefix("x-") {
            switch keyword {
            case "type", "properties", "required", "additionalProperties", "items", "enum", "minLength", "maxLength", "pattern",
                "minimum", "maximum", "minItems", "maxItems", "format":
                continue
            default:
                found.append("\(place): the validator does not know the keyword \(keyword)")
            }
        }
        switch (type, value) {
        case (nil, _), ("string", .string), ("integer", .integer), ("number", .integer), ("number", .number), ("boolean", .bool),
            ("array", .array), ("object", .object):
            break
        default:
            found.append("\(place): \(Self.describe(value)) where the definition has \(type ?? "any")")
            return
        }
        if case .array(let options)? = keywords["enum"], !options.contains(value) {
            found.append("\(place): \(Self.describe(value)) is not one of \(options.compactMap(\.string))")
        }
        switch value {
        case .string(let text):
            checkString(text, keywords, place: place, into: &found)
        case .integer(let number):
            checkNumber(Double(number), keywords, place: place, into: &found)
        case .number(let number):
            checkNumber(number, keywords, place: place, into: &found)
        case .array(let items):
            if case .integer(let least)? = keywords["minItems"], items.count < least {
                found.append("\(place): \(items.count) items, fewer than \(least)")
            }
            if case .integer(let most)? = keywords["maxItems"], items.count > most {
                found.append("\(place): \(items.count) items, more than \(most)")
            }
            if let itemSchema = keywords["items"] {
                for (index, item) in items.enumerated() {
                    check(item, against: itemSchema, at: path + ["[\(index)]"], exempting: exempting, into: &found)
                }
            }
        case .object(let members):
            let propertyPath = path.filter { !$0.hasPrefix("[") }.joined(separator: ".")
            if case .array(let required)? = keywords["required"] {
                for name in required.compactMap(\.string) where members[name] == nil {
                    let full = propertyPath.isEmpty ? name : propertyPath + "." + name
                    if !exempting.contains(full) {
                        found.append("\(place): the required \(name) is missing")
                    }
                }
            }
            let properties: [String: JSONDocument]
            if case .object(let declared)? = keywords["properties"] { properties = declared } else { properties = [:] }
            for (name, member) in members.sorted(by: { $0.key < $1.key }) {
                if let propertySchema = properties[name] {
                    check(member, against: propertySchema, at: path + [name], exempting: exempting, into: &found)
                } else if let additional = keywords["additionalProperties"] {
                    if case .bool(false) = additional {
                        found.append("\(place): \(name) is not allowed")
                    } else if case .object = additional {
                        check(member, against: additional, at: path + [name], exempting: exempting, into: &found)
                    }
                }
            }
        case .null, .bool:
            break
        }
    }

    private func checkString(_ text: String, _ keywords: [String: JSONDocument], place: String, into found: inout [String]) {
        if case .integer(let least)? = keywords["minLength"], text.count < least {
            found.append("\(place): \(text.count) characters, fewer than \(least)")
        }
        if case .integer(let most)? = keywords["maxLength"], text.count > most {
            found.append("\(place): \(text.count) characters, more than \(most)")
        }
        if let pattern = keywords["pattern"]?.string {
            if let expression = try? NSRegularExpression(pattern: pattern) {
                let range = NSRange(text.startIndex..., in: text)
                if expression.firstMatch(in: text, range: range) == nil {
                    found.append("\(place): does not match \(pattern)")
                }
            } else {
                found.append("\(place): the pattern \(pattern) does not compile")
            }
        }
        if keywords["format"]?.string == "date-time",
            text.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})/) == nil
        {
            found.append("\(place): not an RFC 3339 date-time")
        }
    }

    private func checkNumber(_ number: Double, _ keywords: [String: JSONDocument], place: String, into found: inout [String]) {
        if case .integer(let least)? = keywords["minimum"], number < Double(least) {
            found.append("\(place): \(number) is less than \(least)")
        }
        if case .integer(let most)? = keywords["maximum"], number > Double(most) {
            found.append("\(place): \(number) is more than \(most)")
        }
        if keywords["format"]?.string == "int32", number != number.rounded() || abs(number) > Double(Int32.max) {
            found.append("\(place): \(number) is not an int32")
        }
    }

    private static func describe(_ value: JSONDocument) -> String {
        switch value {
        case .null: "null"
        case .bool: "a boolean"
        case .integer: "an integer"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
