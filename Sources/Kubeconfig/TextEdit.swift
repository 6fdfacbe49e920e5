/// Replace the bytes in `range` with `replacement`: the unit of a surgical change.
package struct TextEdit: Sendable, Hashable {
    package var range: Range<Int>
    package var replacement: [UInt8]

    package init(range: Range<Int>, replacement: [UInt8]) {
        self.range = range
        self.replacement = replacement
    }

    package init(range: Range<Int>, replacement: String) {
        self.init(range: range, replacement: Array(replacement.utf8))
    }
}

extension Array where Element == TextEdit {
    /// The text with every edit applied. Edits must not overlap; they are applied in order of position.
    func applied(to bytes: [UInt8]) -> [UInt8] {
        let ordered = enumerated().sorted { ($0.element.range.lowerBound, $0.offset) < ($1.element.range.lowerBound, $1.offset) }
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count + reduce(0) { $0 + $1.replacement.count })
        var position = 0
        for (_, edit) in ordered {
            precondition(edit.range.lowerBound >= position, "overlapping text edits")
            result.append(contentsOf: bytes[position..<edit.range.lowerBound])
            result.append(contentsOf: edit.replacement)
            position = edit.range.upperBound
        }
        result.append(contentsOf: bytes[position...])
        return result
    }
}

/// Line arithmetic over raw bytes, for placing splices on whole lines.
struct Lines {
    let bytes: [UInt8]

    /// The offset of the first byte of the line holding `offset`.
    func start(ofLineAt offset: Int) -> Int {
        var index = min(offset, bytes.count)
        while index > 0, bytes[index - 1] != UInt8(ascii: "\n") { index -= 1 }
        return index
    }

    /// The offset of the line break ending the line holding `offset`, or the end of the text.
    func lineBreak(ofLineAt offset: Int) -> Int {
        var index = offset
        while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
        return index
    }

    /// The offset just past the line break that ends the line holding the byte before `end`.
    ///
    /// A region that ends with `end` (a node's content end) thus covers its whole last line,
    /// trailing comment included, and a literal block scalar that already ends in a line break
    /// does not swallow the next line.
    func endOfLines(through end: Int) -> Int {
        guard end > 0 else { return 0 }
        return min(lineBreak(ofLineAt: end - 1) + 1, bytes.count)
    }

    /// How many spaces start the line holding `offset`.
    func indentation(ofLineAt offset: Int) -> Int {
        let start = start(ofLineAt: offset)
        var index = start
        while index < bytes.count, bytes[index] == UInt8(ascii: " ") { index += 1 }
        return index - start
    }

    /// The column (0-based, in bytes) of `offset` within its line.
    func column(of offset: Int) -> Int {
        offset - start(ofLineAt: offset)
    }

    /// The `-` that introduces the block sequence item starting at `itemStart`, if it can be found
    /// by stepping back over white space (`- name: x`, or a `-` alone on the line before).
    func dash(before itemStart: Int) -> Int? {
        var index = itemStart - 1
        while index >= 0 {
            switch bytes[index] {
            case UInt8(ascii: "-"): return index
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"): index -= 1
            default: return nil
            }
        }
        return nil
    }
}
