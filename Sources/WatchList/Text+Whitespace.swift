extension StringProtocol where SubSequence == Substring {
    /// Without leading and trailing spaces, tabs and line breaks. (The product links
    /// FoundationEssentials only, which has no `trimmingCharacters(in:)`; that keeps the daemon's
    /// resident memory small.)
    package var trimmingWhitespace: Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0.isNewline }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return self[first...last]
    }
}
