import Fleet
import Foundation
import Kubeconfig
import RefreshCore
import Renewal
import Testing
import WatchList

/// Watch lists that name clusters by their console names or discover them: the listing's policy
/// decides what is pruned, and the machine asks for the next listing.
@Suite struct FleetTests {
    /// A watch list with one `discover:` rule listed every 10 minutes, and `clusters` as if found by it.
    func discovering(_ clusters: [WatchedCluster]) throws -> WatchListConfig {
        let text =
            "credentials: {main: {type: sdk}}\nclusters: []\ndiscover:\n  - {regions: [cn-north-4], credentials: main, interval: 10m}\n"
        var config = try WatchListConfig.parse(Array(text.utf8), path: "config.yaml", fileMode: 0o600, homeDirectory: "/home/me")
        config.clusters = clusters
        config.maxRefresh = .seconds(30 * 86_400)
        return config
    }

    /// `name` as a listing finds it: by its console name.
    func found(_ name: String) -> WatchedCluster {
        var found = cluster(name)
        found.consoleName = name
        return found
    }

    @Test func theFirstEvaluationArmsTheNextListing() throws {
        var driver = Driver(try discovering([]))
        #expect(driver.start() == [.arm(.discovery, at: t0 + 600)])
        driver.advance(to: t0 + 600)
        #expect(driver.send(.timerFired(.discovery)) == [.resolveFleet])
    }

    @Test func aClusterGoneFromASuccessfulListingIsPrunedByItsPolicy() throws {
        var driver = Driver(try discovering([found("a"), found("b")]))
        driver.start(["a": fetched("a", issued: t0 - day), "b": fetched("b", issued: t0 - day)])
        let policy = PrunePolicy(kept: ["a"])
        #expect(
            driver.send(.fleetListed(try discovering([found("a")]), KubeconfigContents(), listing: FleetListing(pruning: policy))) == [
                .cancel(.renewal(watchName: "b")), .arm(.write, at: t0 + 0.5), .arm(.discovery, at: t0 + 600),
            ]
        )
        driver.advance(to: t0 + 0.5)
        #expect(driver.send(.timerFired(.write)) == [.write(WriteRequest(upserts: [], pruning: policy))])
    }

    @Test func aFailedListingPrunesNothingAndIsReported() throws {
        var driver = Driver(try discovering([found("a"), found("b")]))
        driver.start(["a": fetched("a", issued: t0 - day), "b": fetched("b", issued: t0 - day)])
        let failure = "cannot list the clusters of project 0123 in cn-north-4: CCE failed (HTTP 500)"
        let listing = FleetListing(pruning: PrunePolicy(kept: ["a"], pruneNothing: true), failures: [failure])
        let actions = driver.sendKeepingAll(.fleetListed(try discovering([found("a")]), KubeconfigContents(), listing: listing))
        #expect(
            actions.contains(.log(LogRecord(.warning, "fleet listing failed; nothing it could have shown is pruned", [("error", failure)])))
        )
        driver.advance(to: t0 + 0.5)
        #expect(
            driver.send(.timerFired(.write)) == [.write(WriteRequest(upserts: [], pruning: PrunePolicy(kept: ["a"], pruneNothing: true)))]
        )
    }

    @Test func aHeldClusterKeepsItsEntriesAndIsNotFetched() throws {
        var driver = Driver(try discovering([found("a")]), at: t0)
        driver.start()
        // b is hibernating: not watched, but its entries are kept.
        let listing = FleetListing(pruning: PrunePolicy(kept: ["a", "b"]))
        #expect(
            driver.send(.fleetListed(try discovering([found("a")]), KubeconfigContents(), listing: listing)) == [
                .arm(.discovery, at: t0 + 600)
            ]
        )
        let a = fetched("a", issued: t0)
        driver.send(.fetchFinished(watchName: "a", .success(a)))
        driver.advance(to: t0 + 0.5)
        #expect(driver.send(.timerFired(.write)) == [.write(WriteRequest(upserts: [a], pruning: PrunePolicy(kept: ["a", "b"])))])
    }

    @Test func aNewlyListedClusterIsFetchedAtOnce() throws {
        var driver = Driver(try discovering([found("a")]))
        driver.start(["a": fetched("a", issued: t0 - day)])
        let listing = FleetListing(pruning: PrunePolicy(kept: ["a", "c"]))
        #expect(
            driver.send(.fleetListed(try discovering([found("a"), found("c")]), KubeconfigContents(), listing: listing)) == [
                .fetch(found("c")), .arm(.discovery, at: t0 + 600),
            ]
        )
    }

    @Test func aClusterLookedUpByNameThatAnswers404IsForgottenThenLookedUpAgain() throws {
        var driver = Driver(try discovering([found("a")]))
        driver.start()
        let actions = driver.send(.fetchFinished(watchName: "a", .failure(FetchFailure("HTTP 404", kind: .notFound))))
        #expect(
            actions == [
                .arm(.renewal(watchName: "a"), at: t0 + minutes(22.5)),
                .forgetResolution(clusterID: found("a").clusterID),
                .resolveFleet,
            ]
        )
    }

    @Test func aNameListedAgainWithANewIdIsFetchedAtOnceDespiteTheOldOnes404() throws {
        var driver = Driver(try discovering([found("a")]))
        driver.start(["a": fetched("a", issued: t0 - day)])
        driver.send(.renewAllRequested)
        driver.send(.fetchFinished(watchName: "a", .failure(FetchFailure("HTTP 404", kind: .notFound))))
        var recreated = found("a")
        recreated.clusterID = "5a000000-0000-4000-8000-000000000099"
        let listing = FleetListing(pruning: PrunePolicy(kept: ["a"]))
        let actions = driver.send(.fleetListed(try discovering([recreated]), KubeconfigContents(), listing: listing))
        #expect(actions.contains(.fetch(recreated)), "\(actions)")
    }

    @Test func aClusterGivenByIdThatAnswers404ForgetsNothingAndListsNothing() throws {
        var driver = Driver(try discovering([cluster("a")]))
        driver.start()
        let actions = driver.send(.fetchFinished(watchName: "a", .failure(FetchFailure("HTTP 404", kind: .notFound))))
        #expect(actions == [.arm(.renewal(watchName: "a"), at: t0 + minutes(22.5))])
    }

    @Test func aPassForgetsANameThatAnswers404WithoutListingAgain() throws {
        var driver = Driver(try discovering([found("a")]), mode: .pass(force: false, only: nil))
        #expect(driver.start() == [.fetch(found("a"))])
        let actions = driver.send(.fetchFinished(watchName: "a", .failure(FetchFailure("HTTP 404", kind: .notFound))))
        #expect(actions.contains(.forgetResolution(clusterID: found("a").clusterID)))
        #expect(!actions.contains(.resolveFleet))
    }

    @Test func renewingEverythingListsTheFleetFirstAndRenewsWhatThatListingWatches() throws {
        var driver = Driver(try discovering([found("a"), found("b")]))
        driver.start(["a": fetched("a", issued: t0 - day), "b": fetched("b", issued: t0 - day)])
        #expect(driver.send(.renewAllRequested) == [.resolveFleet])
        // b went into hibernation meanwhile: held, not fetched.
        let listing = FleetListing(pruning: PrunePolicy(kept: ["a", "b"]))
        #expect(
            driver.send(.fleetListed(try discovering([found("a")]), KubeconfigContents(), listing: listing)) == [
                .cancel(.renewal(watchName: "b")), .arm(.write, at: t0 + 0.5), .arm(.discovery, at: t0 + 600),
                .cancel(.renewal(watchName: "a")), .fetch(found("a")),
            ]
        )
        #expect(
            driver.send(.fleetListed(try discovering([found("a")]), KubeconfigContents(), listing: listing)) == [
                .arm(.discovery, at: t0 + 600)
            ]
        )
    }

    /// The project's id in ``cluster(_:credentials:)``.
    let project = String(repeating: "0", count: 32)

    @Test func aFailedListingKeepsWatchingTheClustersOfItsProject() throws {
        var driver = Driver(try discovering([found("a"), found("b")]))
        driver.start(["a": fetched("a", issued: t0 - day), "b": fetched("b", issued: t0 - day)])
        let failure = "cannot list the clusters of project \(project) in region cn-north-4: HTTP 500"
        let listing = FleetListing(pruning: PrunePolicy(kept: [], keptProjects: [project]), failures: [failure])
        let actions = driver.sendKeepingAll(.fleetListed(try discovering([]), KubeconfigContents(), listing: listing))
        #expect(driver.machine.config.clusters.map(\.name) == ["a", "b"])
        #expect(!actions.contains { $0.logRecord?.message == "clusters left the watch list" })
        #expect(!actions.contains { if case .write = $0 { true } else if case .arm(.write, _) = $0 { true } else { false } })
        // Their renewals stay as they were: a, issued a day ago, is renewed at two thirds of 7 days.
        driver.advance(to: renewal(of: "a", try #require(fetched("a", issued: t0 - day).clientCertificate)))
        #expect(driver.send(.timerFired(.renewal(watchName: "a"))) == [.fetch(found("a"))])
    }

    @Test func aReloadDuringAListOutageKeepsRenewingTheClustersLastListed() throws {
        let a = fetched("a", issued: t0 - day)
        var driver = Driver(try discovering([found("a"), found("b")]))
        driver.start(["a": a, "b": fetched("b", issued: t0 - day)])
        let failure = "cannot list the clusters of project \(project) in region cn-north-4: HTTP 500"
        let listing = FleetListing(pruning: PrunePolicy(kept: [], keptProjects: [project]), failures: [failure])
        let actions = driver.send(.configReloaded(try discovering([]), KubeconfigContents(), listing: listing))
        #expect(driver.machine.config.clusters.map(\.name) == ["a", "b"])
        #expect(!actions.contains(.cancel(.renewal(watchName: "a"))))
        driver.advance(to: renewal(of: "a", a.clientCertificate))
        #expect(driver.send(.timerFired(.renewal(watchName: "a"))) == [.fetch(found("a"))])
    }

    @Test func aListingThatAnswersAfterAFailedFirstOnePrunesWhatItKept() throws {
        // The service started while the list failed: nothing of the project is watched, all kept.
        var driver = Driver(try discovering([]))
        driver.machine = RefreshMachine(
            config: try discovering([]),
            fleetPruning: PrunePolicy(kept: [], keptProjects: [project]),
            listingFailures: ["cannot list"],
            randomFraction: { 0.5 }
        )
        let entries = ["a": fetched("a", issued: t0 - day), "b": fetched("b", issued: t0 - day)]
        driver.start(entries)
        // b was deleted meanwhile; the next list answers without it, and nothing leaves the watch list.
        let answered = FleetListing(pruning: PrunePolicy(kept: ["a"]))
        let actions = driver.send(.fleetListed(try discovering([found("a")]), KubeconfigContents(entries: entries), listing: answered))
        #expect(actions.contains(.arm(.write, at: t0 + 0.5)))
        #expect(!actions.contains { if case .fetch = $0 { true } else { false } }, "a is fresh")
        driver.advance(to: t0 + 0.5)
        #expect(driver.send(.timerFired(.write)) == [.write(WriteRequest(upserts: [], pruning: answered.pruning))])
    }

    @Test func aListingThatFailsIsInTheStatusLineUntilOneAnswers() throws {
        var driver = Driver(try discovering([found("a")]))
        driver.start(["a": fetched("a", issued: t0 - day)])
        let failures = ["cannot list the clusters of project \(project) in region cn-north-4: HTTP 500", "cannot list the projects"]
        let failed = FleetListing(pruning: PrunePolicy(kept: [], keptProjects: [project]), failures: failures)
        driver.send(.fleetListed(try discovering([]), KubeconfigContents(), listing: failed))
        #expect(
            driver.machine.statusLine(at: t0).hasPrefix(
                "fleet listing incomplete, nothing it could have shown is pruned: \(failures[0]) (and 1 more); 1 fresh"
            )
        )
        driver.send(
            .fleetListed(try discovering([found("a")]), KubeconfigContents(), listing: FleetListing(pruning: PrunePolicy(kept: ["a"])))
        )
        #expect(driver.machine.statusLine(at: t0).hasPrefix("1 fresh"))
    }

    @Test func aWatchListOfIdsOnlyPrunesExactlyTheClustersThatLeftIt() {
        var driver = Driver(watchList([cluster("a"), cluster("b")]))
        driver.start(["a": fetched("a", issued: t0 - day), "b": fetched("b", issued: t0 - day)])
        driver.send(.configReloaded(watchList([cluster("a")]), KubeconfigContents(), listing: nil))
        driver.advance(to: t0 + 0.5)
        #expect(driver.send(.timerFired(.write)) == [.write(WriteRequest(upserts: [], removals: ["b"], pruning: PrunePolicy(kept: ["a"])))])
    }
}
