/// `check-config --discover`: the resolved fleet as aligned columns, then what is wrong.
package enum FleetTable {
    /// Column titles, then one line per row: watch name, console name, region, project, cluster
    /// id, and how it came and what happens to it.
    package static func lines(_ resolution: FleetResolution, path: String) -> [String] {
        lines(rows: resolution.rows)
            + resolution.failures.map { "\(path): \($0)" }
            + resolution.problems.map { $0.described(in: path) }
    }

    /// Column titles, then one line per row.
    package static func lines(rows resolved: [FleetResolution.Row]) -> [String] {
        let header = ["WATCH NAME", "CONSOLE NAME", "REGION", "PROJECT", "CLUSTER ID", "SOURCE"]
        let rows = resolved.map { row in
            [row.watchName, row.consoleName ?? "-", row.region ?? "-", row.project, row.clusterID, describe(row)]
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        let table = ([header] + rows).map { cells in
            cells.enumerated().map { column, cell in
                column == cells.count - 1 ? cell : cell + String(repeating: " ", count: widths[column] - cell.count)
            }.joined(separator: "  ")
        }
        return table
    }

    private static func describe(_ row: FleetResolution.Row) -> String {
        switch row.state {
        case .watched: row.source.rawValue
        case .held(.phase(let phase)): "\(row.source.rawValue), \(phase): not fetched, entries kept"
        case .held(.problem): "\(row.source.rawValue), not watched: see below"
        case .held(.lookupFailed): "\(row.source.rawValue), not looked up: see below"
        }
    }
}
