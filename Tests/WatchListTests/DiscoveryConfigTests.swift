import Testing
import WatchList

/// `discover:`: which regions and projects to list, the filters, and their defaults.
@Suite struct DiscoveryConfigTests {
    private func rule(_ item: String, defaults: String = "{}") throws -> DiscoveryRule {
        let config = try TestConfig.parse(
            "credentials: {default: {type: sdk}}\ndefaults: \(defaults)\nclusters: []\ndiscover:\n  - \(item)\n"
        )
        #expect(!config.isResolved)
        return try #require(config.discovery.first)
    }

    private func summary(
        _ name: String,
        category: ClusterSummary.Category = .cce,
        phase: String = "Available",
        labels: [String: String] = [:]
    ) -> ClusterSummary {
        ClusterSummary(
            id: "4e7a9f1c-0000-11ee-8f3a-0255ac100b03",
            name: name,
            category: category,
            phase: phase,
            labels: labels,
            region: "cn-north-4",
            projectID: TestConfig.projectID
        )
    }

    @Test func aRuleWithOnlyRegionsTakesTheDocumentedDefaults() throws {
        let rule = try rule("{regions: [cn-north-4]}")
        #expect(rule.regions == ["cn-north-4"])
        #expect(rule.projects.isEmpty)
        #expect(rule.include == [.any])
        #expect(rule.exclude.isEmpty)
        #expect(rule.labels.isEmpty)
        #expect(rule.categories == [.cce, .turbo])
        #expect(rule.phases == ["Available"])
        #expect(rule.interval == .seconds(600))
        #expect(rule.naming == .default)
        #expect(rule.options.credentials == "default")
        #expect(rule.location == .at(5, 5))
    }

    @Test func everyFilterIsRead() throws {
        let rule = try rule(
            """
            regions: [cn-north-4, ap-southeast-1]
                projects: [cn-north-4_dev]
                include: ["prod-*", "stage-?"]
                exclude: ["*-old"]
                labels: {env: prod}
                categories: [Turbo, Autopilot]
                phases: [Available, Hibernation]
                interval: 2m
                context_name: "{region}-{name}"
            """
        )
        #expect(rule.projects == ["cn-north-4_dev"])
        #expect(rule.include.map(\.description) == ["prod-*", "stage-?"])
        #expect(rule.exclude.map(\.description) == ["*-old"])
        #expect(rule.labels == ["env": NamePattern("prod")])
        #expect(rule.categories == [.turbo, .autopilot])
        #expect(rule.phases == ["Available", "Hibernation"])
        #expect(rule.interval == .seconds(120))
        #expect(rule.naming.description == "{region}-{name}")
    }

    @Test func theFleetIsListedAsOftenAsItsMostFrequentRuleAsks() throws {
        let config = try TestConfig.parse(
            """
            credentials: {default: {type: sdk}}
            clusters: []
            discover:
              - {regions: [cn-north-4], interval: 30m}
              - {regions: [ap-southeast-1], interval: 5m}
            """
        )
        #expect(config.discoveryInterval == .seconds(300))
        #expect(try TestConfig.parse("credentials: {default: {type: sdk}}\nclusters: []\n").discoveryInterval == nil)
    }

    @Test func defaultsApplyToEveryClusterFound() throws {
        let rule = try rule("{regions: [cn-north-4]}", defaults: "{namespace: team-a, duration_days: 1, cloud: otc, region: eu-de}")
        #expect(rule.options.namespace == "team-a")
        #expect(rule.options.durationDays == 1)
        #expect(rule.options.cloud == .otc)
        #expect(rule.regions == ["cn-north-4"])
    }

    @Test func projectsNameTheScannedProjectsOfTheirRegion() throws {
        let rule = try rule("{regions: [cn-north-4, ap-southeast-1], projects: [cn-north-4_dev, cn-north-4_test]}")
        #expect(rule.projectNames(in: "cn-north-4") == ["cn-north-4_dev", "cn-north-4_test"])
        #expect(rule.projectNames(in: "ap-southeast-1") == ["ap-southeast-1"])
    }

    @Test func aRuleNeedsRegions() {
        let problems = TestConfig.problems("credentials: {default: {type: sdk}}\nclusters: []\ndiscover:\n  - include: [\"*\"]\n")
        #expect(
            problems == [
                ConfigProblem(
                    "discover item 1 needs at least one region in \"regions\", the regions whose clusters to list, such as [cn-north-4]",
                    at: .at(4, 5)
                )
            ]
        )
    }

    @Test func anEmptyRegionsListSaysAtLeastOneRegionIsNeededNotToLeaveItOut() {
        let problems = TestConfig.problems("credentials: {default: {type: sdk}}\ndiscover:\n  - {regions: []}\n")
        #expect(
            problems == [
                ConfigProblem(
                    "\"regions\" is empty, but discover item 1 needs at least one region in \"regions\", the regions whose clusters to list, such as [cn-north-4]",
                    at: .at(3, 15)
                )
            ]
        )
    }

    @Test func anEmptyListWithADefaultSaysWhatLeavingItOutMeans() {
        let problems = TestConfig.problems("credentials: {default: {type: sdk}}\ndiscover:\n  - {regions: [cn-north-4], phases: []}\n")
        #expect(
            problems == [
                ConfigProblem("\"phases\" is empty, so no cluster would be watched; leave it out for Available", at: .at(3, 37))
            ]
        )
    }

    @Test func aProjectOfARegionNotListedIsRefused() {
        let problems = TestConfig.problems(
            "credentials: {default: {type: sdk}}\nclusters: []\ndiscover:\n  - {regions: [cn-north-4], projects: [eu-west-101_dev]}\n"
        )
        #expect(
            problems == [
                ConfigProblem("project \"eu-west-101_dev\" belongs to region eu-west-101, which \"regions\" does not list", at: .at(4, 40))
            ]
        )
    }

    @Test func anIntervalUnderAMinuteIsRefused() {
        let problems = TestConfig.problems(
            "credentials: {default: {type: sdk}}\nclusters: []\ndiscover:\n  - {regions: [cn-north-4], interval: 30s}\n"
        )
        #expect(problems == [ConfigProblem("\"interval\" must be a duration of at least 1m, such as 10m or 1h", at: .at(4, 39))])
    }

    @Test func aMisspelledCategoryGetsASuggestion() {
        let problems = TestConfig.problems(
            "credentials: {default: {type: sdk}}\nclusters: []\ndiscover:\n  - {regions: [cn-north-4], categories: [turbo]}\n"
        )
        #expect(
            problems == [
                ConfigProblem(
                    "each item of \"categories\" must be CCE, Turbo or Autopilot, not \"turbo\"; did you mean \"Turbo\"?",
                    at: .at(4, 42)
                )
            ]
        )
    }

    @Test func regionInARuleSaysToListRegions() {
        let problems = TestConfig.problems(
            "credentials: {default: {type: sdk}}\nclusters: []\ndiscover:\n  - {regions: [cn-north-4], region: cn-north-4}\n"
        )
        #expect(
            problems == [
                ConfigProblem(
                    "unknown key \"region\" in discover item 1; a discover item lists \"regions\" and, optionally, \"projects\" by name",
                    at: .at(4, 29)
                )
            ]
        )
    }

    @Test func oneEndpointForTwoRegionsIsRefused() {
        let problems = TestConfig.problems(
            """
            credentials: {default: {type: sdk}}
            clusters: []
            discover:
              - regions: [cn-north-4, ap-southeast-1]
                endpoint: "https://127.0.0.1:8443"
            """
        )
        #expect(
            problems == [
                ConfigProblem(
                    "\"endpoint\" replaces the CCE endpoint of one region, but discover item 1 lists 2; give one region per item",
                    at: .at(5, 5)
                )
            ]
        )
    }

    // MARK: Verdicts

    @Test func anAvailableClusterMatchingEveryFilterIsWatched() throws {
        let rule = try rule("{regions: [cn-north-4], include: [\"prod-*\"], labels: {env: prod}}")
        #expect(rule.verdict(on: summary("prod-a", labels: ["env": "prod"])) == .watch)
    }

    @Test func aHibernatingClusterIsHeldNotSkipped() throws {
        let rule = try rule("{regions: [cn-north-4]}")
        #expect(rule.verdict(on: summary("prod-a", phase: "Hibernation")) == .hold)
    }

    @Test func anExcludedNameIsSkippedEvenWhenIncluded() throws {
        let rule = try rule("{regions: [cn-north-4], include: [\"prod-*\"], exclude: [\"*-old\"]}")
        #expect(rule.verdict(on: summary("prod-old")) == .skip)
        #expect(rule.verdict(on: summary("staging")) == .skip)
    }

    @Test func aMissingOrDifferentLabelIsSkipped() throws {
        let rule = try rule("{regions: [cn-north-4], labels: {env: \"prod*\"}}")
        #expect(rule.verdict(on: summary("a", labels: [:])) == .skip)
        #expect(rule.verdict(on: summary("a", labels: ["env": "dev"])) == .skip)
        #expect(rule.verdict(on: summary("a", labels: ["env": "production"])) == .watch)
    }

    @Test func autopilotClustersAreSkippedUnlessNamedInCategories() throws {
        #expect(try rule("{regions: [cn-north-4]}").verdict(on: summary("a", category: .autopilot)) == .skip)
        #expect(try rule("{regions: [cn-north-4], categories: [Autopilot]}").verdict(on: summary("a", category: .autopilot)) == .watch)
    }
}

/// The globs of `include`, `exclude` and label values.
@Suite struct NamePatternTests {
    @Test(arguments: [
        ("prod-*", "prod-a", true), ("prod-*", "prod-", true), ("prod-*", "preprod-a", false),
        ("*-old", "a-b-old", true), ("?-x", "a-x", true), ("?-x", "ab-x", false),
        ("a*b*c", "aXbYbZc", true), ("a*b*c", "aXbYbZ", false), ("*", "", true), ("exact", "exact", true),
    ])
    func globMatchesAsTheShellDoes(pattern: String, text: String, matches: Bool) {
        #expect(NamePattern(pattern).matches(text) == matches)
    }
}
