import YAML

/// One item of `discover:`: which regions and projects to list, which of the clusters found
/// to watch, and how to name and write them.
package struct DiscoveryRule: Sendable, Hashable {
    /// The phases watched unless `phases:` says otherwise: a cluster that is hibernating,
    /// being created or failed has no API server to fetch a certificate from.
    package static let defaultPhases: Set<String> = ["Available"]
    /// The categories listed unless `categories:` says otherwise: those ListClusters reports.
    /// Autopilot clusters have their own API, listed only when named.
    package static let defaultCategories: Set<ClusterSummary.Category> = [.cce, .turbo]
    /// How often the lists are read again unless `interval:` says otherwise.
    package static let defaultInterval: Duration = .seconds(600)
    /// The shortest `interval` accepted: listing is cheap, but not free against the gateway's limits.
    package static let minimumInterval: Duration = .seconds(60)

    /// What a rule does with one listed cluster.
    package enum Verdict: Sendable, Hashable {
        /// Watch it: fetch and write its entries.
        case watch
        /// Its phase is not one watched: do not fetch it, and keep the entries it has.
        case hold
        /// Not for this rule: a cluster it watched before is pruned.
        case skip
    }

    package var regions: [String]
    /// Project names (`cn-north-4_dev`); a region with none of them listed is scanned in its own project.
    package var projects: [String]
    package var include: [NamePattern]
    package var exclude: [NamePattern]
    /// Every label must be present with a value matching its pattern.
    package var labels: [String: NamePattern]
    package var categories: Set<ClusterSummary.Category>
    package var phases: Set<String>
    package var interval: Duration
    package var naming: NameTemplate
    /// For every cluster found; its `type` follows each cluster's category.
    package var options: ClusterOptions
    /// Where the item starts in the config.
    package var location: SourceLocation?

    package init(
        regions: [String],
        projects: [String] = [],
        include: [NamePattern] = [.any],
        exclude: [NamePattern] = [],
        labels: [String: NamePattern] = [:],
        categories: Set<ClusterSummary.Category> = defaultCategories,
        phases: Set<String> = defaultPhases,
        interval: Duration = defaultInterval,
        naming: NameTemplate = .default,
        options: ClusterOptions,
        location: SourceLocation? = nil
    ) {
        self.regions = regions
        self.projects = projects
        self.include = include
        self.exclude = exclude
        self.labels = labels
        self.categories = categories
        self.phases = phases
        self.interval = interval
        self.naming = naming
        self.options = options
        self.location = location
    }

    /// The project names scanned in `region`: those of `projects` that belong to it
    /// (`cn-north-4` or `cn-north-4_<name>`), else the region's own project.
    package func projectNames(in region: String) -> [String] {
        let own = projects.filter { ProjectName.region(of: $0) == region }
        return own.isEmpty ? [region] : own
    }

    /// Whether to watch, hold or skip one cluster of a list this rule asked for.
    package func verdict(on cluster: ClusterSummary) -> Verdict {
        guard categories.contains(cluster.category),
            include.contains(where: { $0.matches(cluster.name) }),
            !exclude.contains(where: { $0.matches(cluster.name) }),
            labels.allSatisfy({ key, pattern in cluster.labels[key].map(pattern.matches) ?? false })
        else { return .skip }
        return phases.contains(cluster.phase) ? .watch : .hold
    }
}

/// The rules for IAM project names: a region's own project is named like it, a sub-project
/// `<region>_<name>`.
package enum ProjectName {
    /// The region a project name belongs to: the text before the first `_`, if it is a region id.
    package static func region(of project: String) -> String? {
        let region = String(project.prefix { $0 != "_" })
        return Identifiers.isRegion(region) ? region : nil
    }

    /// Whether `text` can name a project: a region id, optionally `_` and a non-empty name of
    /// letters, digits, `-` and `_`.
    static func isValid(_ text: String) -> Bool {
        guard region(of: text) != nil else { return false }
        let rest = text.drop { $0 != "_" }
        guard !rest.isEmpty else { return true }
        let name = rest.dropFirst()
        return !name.isEmpty && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
    }
}
