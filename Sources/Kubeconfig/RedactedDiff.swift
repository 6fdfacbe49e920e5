/// A unified diff of a planned change in which no secret can appear.
///
/// The hunks come straight from the plan's edits, widened to whole lines, so the diff shows
/// exactly what will be written. Every value of a key that holds credentials (`*-data`, tokens,
/// passwords, secrets) is shown as `<redacted>` on both sides: a renewed certificate shows as a
/// changed line without showing either certificate.
package enum RedactedDiff {
    /// The diff of `plan`, with `label` naming the file in the `---`/`+++` lines; empty when nothing changes.
    package static func make(_ plan: MergePlan, label: String, context: Int = 3) -> String {
        guard plan.original != plan.result else { return "" }
        let original = plan.original
        let lines = Lines(bytes: original)
        let lineStarts = [0] + original.indices.filter { original[$0] == UInt8(ascii: "\n") }.map { $0 + 1 }
        func lineNumber(of offset: Int) -> Int {
            var low = 0
            var high = lineStarts.count - 1
            while low < high {
                let middle = (low + high + 1) / 2
                if lineStarts[middle] <= offset { low = middle } else { high = middle - 1 }
            }
            return low
        }

        // Each edit, widened to the whole lines it touches; touching or nearby regions are merged.
        var regions: [(old: Range<Int>, edits: [TextEdit])] = []
        for edit in plan.edits.sorted(by: { $0.range.lowerBound < $1.range.lowerBound }) {
            let start = lines.start(ofLineAt: edit.range.lowerBound)
            let end = max(
                start,
                edit.range.isEmpty && edit.range.lowerBound == start ? start : lines.endOfLines(through: edit.range.upperBound)
            )
            if let last = regions.last, lineNumber(of: start) <= lineNumber(of: last.old.upperBound) + 2 * context {
                regions[regions.count - 1] = (last.old.lowerBound..<max(end, last.old.upperBound), last.edits + [edit])
            } else {
                regions.append((start..<end, [edit]))
            }
        }

        var output = "--- \(label)\n+++ \(label)\n"
        var lineDelta = 0
        for region in regions {
            var replacement: [UInt8] = []
            var position = region.old.lowerBound
            for edit in region.edits {
                replacement += original[position..<edit.range.lowerBound] + edit.replacement
                position = edit.range.upperBound
            }
            replacement += original[position..<max(position, region.old.upperBound)]
            let oldLines = textLines(Array(original[region.old]))
            let newLines = textLines(replacement)
            let firstLine = lineNumber(of: region.old.lowerBound)
            let before = textLines(Array(original[lineStarts[max(0, firstLine - context)]..<region.old.lowerBound]))
            let afterEnd = lineStarts[min(lineStarts.count - 1, lineNumber(of: region.old.upperBound) + context)]
            let after = textLines(Array(original[region.old.upperBound..<max(region.old.upperBound, afterEnd)]))
            let oldStart = firstLine - before.count + 1
            output +=
                "@@ -\(oldStart),\(before.count + oldLines.count + after.count) +\(oldStart + lineDelta),\(before.count + newLines.count + after.count) @@\n"
            output += before.map { " \(redact($0))\n" }.joined()
            output += oldLines.map { "-\(redact($0))\n" }.joined()
            output += newLines.map { "+\(redact($0))\n" }.joined()
            output += after.map { " \(redact($0))\n" }.joined()
            lineDelta += newLines.count - oldLines.count
        }
        return output
    }

    private static func textLines(_ bytes: [UInt8]) -> [String] {
        guard !bytes.isEmpty else { return [] }
        var lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if bytes.last == UInt8(ascii: "\n") { lines.removeLast() }
        return lines
    }

    /// The line with the value of every secret-holding key replaced, in YAML (`key: value`) and JSON (`"key": "value"`).
    package static func redact(_ line: String) -> String {
        var output = ""
        var rest = Substring(line)
        while let match = rest.firstMatch(of: secretPair) {
            output += rest[..<match.range.lowerBound] + match.output.1 + "<redacted>" + match.output.3
            rest = rest[match.range.upperBound...]
        }
        return output + rest
    }

    /// A key naming a secret, its separator, and a value up to a JSON delimiter or the end of the line.
    nonisolated(unsafe) private static let secretPair =
        #/("?[A-Za-z0-9_-]*(?:-data|[Tt]oken|password|[Ss]ecret)"?\s*:[ \t]*)("[^"]*"|'[^']*'|[^,}\s][^,}]*)(,?)/#
}
