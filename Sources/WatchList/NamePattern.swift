/// A shell-style glob over console names and label values: `*` any run of characters, `?` one
/// character, anything else itself. `prod-*` matches `prod-a` and `prod-`, not `preprod-a`.
package struct NamePattern: Sendable, Hashable, CustomStringConvertible {
    /// `*`: everything.
    package static let any = NamePattern("*")

    package let description: String
    private let pattern: [Character]

    package init(_ text: String) {
        self.description = text
        self.pattern = Array(text)
    }

    package func matches(_ text: String) -> Bool {
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
