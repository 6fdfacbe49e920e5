/// The "did you mean" of an unknown key or value: the closest known spelling, if one is close.
enum KeySuggestion {
    /// The candidate that `word` most likely misspells, or `nil` when none is close.
    ///
    /// Case, `-` versus `_` and camelCase are forgiven outright (`projectId`, `project-id`);
    /// otherwise at most one edit for short words and two for longer ones.
    static func closest(to word: String, among candidates: [String]) -> String? {
        let normalized = normalize(word)
        if let exact = candidates.first(where: { normalize($0) == normalized }) { return exact }
        let limit = word.count <= 4 ? 1 : 2
        var best: (candidate: String, distance: Int)?
        for candidate in candidates {
            let distance = editDistance(Array(word.lowercased().utf8), Array(candidate.utf8))
            if distance <= limit, distance < (best?.distance ?? .max) {
                best = (candidate, distance)
            }
        }
        return best?.candidate
    }

    private static func normalize(_ word: String) -> String {
        word.lowercased().filter { $0 != "_" && $0 != "-" }
    }

    /// Edit distance counting a swap of neighbours as one edit (`pots` is one edit from `post`).
    private static func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        guard !a.isEmpty, !b.isEmpty else { return a.count + b.count }
        var table = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let substitution = table[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                table[i][j] = Swift.min(table[i - 1][j] + 1, table[i][j - 1] + 1, substitution)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    table[i][j] = Swift.min(table[i][j], table[i - 2][j - 2] + 1)
                }
            }
        }
        return table[a.count][b.count]
    }
}
