import Foundation
import Testing

/// What the executable loads at start: every shared library is resident for the daemon's whole
/// life, so the product links FoundationEssentials only. Full Foundation would add
/// libFoundation, libFoundationInternationalization and ICU: about 8 MiB of the daemon's RSS
/// (docs/benchmarks.md).
struct LinkageTests {
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/readelf"), "readelf is not installed"))
    func theExecutableDoesNotLinkFullFoundationOrICU() throws {
        try Workspace.with { workspace in
            let result = try workspace.runner.run("/usr/bin/readelf", ["--dynamic", workspace.executable])
            #expect(result.status == 0, "\(result.standardError)")
            let needed = result.standardOutput.split(separator: "\n").filter { $0.contains("(NEEDED)") }
            #expect(needed.contains { $0.contains("libFoundationEssentials.so") })
            for library in [
                "libFoundation.so", "libFoundationInternationalization.so", "lib_FoundationICU.so", "libFoundationNetworking.so",
            ] {
                #expect(!needed.contains { $0.contains("[\(library)]") }, "\(library) is linked")
            }
        }
    }
}
