import Foundation
import Glibc
import Testing

extension DaemonTests {
    /// A `run` started in a terminal while the unit runs would fetch every cluster twice, share
    /// one throttle budget and overwrite the state file: it refuses, and the first runs on.
    @Test func aSecondRunOnTheSameStateDirectoryExitsNamingTheFirst() async throws {
        try await withService { service in
            try service.writeConfig([("prod", Self.prodID)])
            let first = try service.start()
            #expect(await eventually { service.managedWatchNames() == ["prod"] })

            let second = try service.start()
            let refused = try await offload { try second.wait(timeout: .seconds(10)) }
            #expect(refused.status == 1)
            let lines = refused.standardError.split(separator: "\n")
            #expect(lines.count == 1, "\(refused.standardError)")
            #expect(
                lines.first?.contains("another cce-kubeconfigd service (pid \(first.processIdentifier)) is already running") == true,
                "\(refused.standardError)"
            )
            #expect(lines.first?.hasSuffix("stop it first (kill \(first.processIdentifier))") == true, "\(refused.standardError)")

            #expect(kill(first.processIdentifier, 0) == 0, "the first service stopped")
            let status = try await service.status()
            #expect(status.status == 0, "\(status.standardOutput)")
            _ = try await stop(first, in: service)
        }
    }
}
