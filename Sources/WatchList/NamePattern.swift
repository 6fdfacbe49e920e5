/// A shell-style glob over console names and label values: `*` any run of characters, `?` one
/// character, anything else itself. `prod-*` matches `prod-a` and `prod-`, not `preprod-a`.
public struct NamePattern: Sendable, Hashable, CustomStringConvertible {
    /// `*`: everything.
    public static let any = NamePattern("*")

    public let description: String
    private let pattern: [Character]

    public init(_ text: String) {
        self.description = text
        self.pattern = Array(text)
    }

    public func matches(_ text: String) -> Bool {
        let text = Array(text)
        // Iterative matching with one backtrack point (the last `*`): linear in practice,
        // never exponential, whatever the pattern.
        var t = 0
        var p = 0
        var star: Int?
        var resume = 0
        while t < text.count {
            if p < pattern.count, pattern[p] == "?" || (pattern[p] != "*" && pattern[p] == text[t]) {
                t += 1
                p += 1
            } else if p < pattern.count, pattern[p] == "*" {
                star = p
                resume = t
                p += 1
            } else if let star {
                p = star + 1
                resume += 1
                t = resume
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }
}
