import Fleet
import Foundation
import RefreshCore
import RefreshState
import Testing

/// The fleet's resolutions in the state file: kept across restarts, optional for older files.
@Suite struct ResolutionStateTests {
    let resolutions = ResolutionCache(
        projects: [
            .init(
                credentials: "main",
                cloud: "huaweicloud",
                region: "cn-north-4",
                name: "cn-north-4",
                id: "0123456789abcdef0123456789abcdef"
            )
        ],
        clusters: [
            .init(projectID: "0123456789abcdef0123456789abcdef", type: "cce", name: "web", id: "5a000000-0000-4000-8000-000000000001")
        ]
    )

    @Test func resolutionsAreWrittenAndReadBack() throws {
        try TemporaryDirectory.with { directory in
            let file = StateFile(path: directory.file("state.json"))
            let snapshot = RefreshStateSnapshot(
                updatedAt: t0,
                clusters: ["web": ClusterState(consoleName: "web")],
                resolutions: resolutions
            )
            try file.write(snapshot)
            #expect(try file.read() == snapshot)
            #expect(
                try file.read()?.resolutions.clusterID(named: "web", projectID: "0123456789abcdef0123456789abcdef", type: .cce)
                    == "5a000000-0000-4000-8000-000000000001"
            )
        }
    }

    @Test func noResolutionsLeaveTheKeyOut() {
        let text = String(decoding: RefreshStateSnapshot(updatedAt: t0).encoded(), as: UTF8.self)
        #expect(!text.contains("resolutions"))
        #expect(
            String(decoding: RefreshStateSnapshot(updatedAt: t0, resolutions: resolutions).encoded(), as: UTF8.self).contains(
                "\"resolutions\""
            )
        )
    }

    @Test func aFileWithoutResolutionsReadsAsNone() throws {
        let text = "{\"version\": 1, \"updatedAt\": \"2026-05-09T06:13:20Z\", \"clusters\": {\"prod\": {\"consecutiveFailures\": 0}}}"
        let snapshot = try RefreshStateSnapshot(json: Array(text.utf8))
        #expect(snapshot.resolutions.isEmpty)
        #expect(snapshot.clusters["prod"]?.consoleName == nil)
    }

    @Test func listingFailuresAreWrittenAndReadBackAndLeftOutWhenNone() throws {
        let failure = "cannot list the clusters of project 0123456789abcdef0123456789abcdef in region cn-north-4: CCE failed (HTTP 500)."
        let snapshot = RefreshStateSnapshot(updatedAt: t0, listingFailures: [failure])
        #expect(try RefreshStateSnapshot(json: snapshot.encoded()).listingFailures == [failure])
        #expect(!String(decoding: RefreshStateSnapshot(updatedAt: t0).encoded(), as: UTF8.self).contains("listingFailures"))
    }

    @Test func unknownKeysAreStillIgnored() throws {
        let text = "{\"version\": 1, \"updatedAt\": \"2026-05-09T06:13:20Z\", \"clusters\": {}, \"later\": [1]}"
        #expect(try RefreshStateSnapshot(json: Array(text.utf8)).clusters.isEmpty)
    }
}
