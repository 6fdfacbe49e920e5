/// Rows printed as aligned columns, three spaces apart, with no trailing blanks: the shape of
/// `list` and `status`, and of kubectl's own tables.
package enum TextTable {
    /// The rows, the first one being the header, one line each.
    package static func render(_ rows: [[String]]) -> String {
        let widths = rows.reduce(into: [Int]()) { widths, row in
            for (column, cell) in row.enumerated() {
                if column == widths.count { widths.append(0) }
                widths[column] = max(widths[column], cell.count)
            }
        }
        return rows.map { row in
            var line = ""
            for (column, cell) in row.enumerated() {
                line += cell
                if column < row.count - 1 {
                    line += String(repeating: " ", count: widths[column] - cell.count + 3)
                }
            }
            return String(line.reversed().drop(while: \.isWhitespace).reversed())
        }.joined(separator: "\n")
    }
}
