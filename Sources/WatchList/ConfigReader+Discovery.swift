import Durations
import YAML

extension ConfigReader {
    /// The `discover:` list; a rule with any problem is left out (and the parse fails).
    mutating func discoveryRules(_ field: Fields.Field?, defaults: ClusterSettings, catalog: CredentialCatalog?) -> [DiscoveryRule] {
        guard let field else { return [] }
        guard let items = field.value.items else {
            report("\"discover\" must be a list, not \(Self.kind(of: field.value))", at: field.valueLocation)
            return []
        }
        var rules: [DiscoveryRule] = []
        for (index, item) in items.enumerated() {
            guard let fields = fields(of: document.resolving(item), what: "each item of \"discover\"") else { continue }
            let scope = ConfigScope.discoveryRule(number: index + 1)
            check(fields, in: scope)
            if let rule = discoveryRule(fields, scope: scope, defaults: defaults, catalog: catalog) { rules.append(rule) }
        }
        return rules
    }

    private mutating func discoveryRule(_ fields: Fields, scope: ConfigScope, defaults: ClusterSettings, catalog: CredentialCatalog?)
        -> DiscoveryRule?
    {
        var inherited = defaults
        inherited.project = .absent
        inherited.region = .absent
        inherited.type = .absent
        var own = settings(fields)
        own.project = .absent
        own.region = .absent
        own.type = .absent
        let settings = own.over(inherited)

        let regions: Setting<[String]> = fields["regions"].map { regionList($0, scope: scope) } ?? .absent
        if regions.isAbsent { report("\(scope.noun) \(Self.needsRegions)", at: fields.location) }
        let projects: Setting<[String]> = fields["projects"].map { projectList($0, regions: regions.value ?? []) } ?? .absent
        if let field = fields["endpoint"], let count = regions.value?.count, count > 1 {
            report(
                "\"endpoint\" replaces the CCE endpoint of one region, but \(scope.noun) lists \(count); give one region per item",
                at: field.keyLocation
            )
        }
        let include: Setting<[NamePattern]> =
            fields["include"].map { patterns($0, whenEmpty: ", so no cluster would be watched; leave it out to include every cluster") }
            ?? .absent
        let exclude: Setting<[NamePattern]> =
            fields["exclude"].map { patterns($0, whenEmpty: "; leave it out to exclude no cluster") } ?? .absent
        let labels: Setting<[String: NamePattern]> = fields["labels"].map { labelPatterns($0) } ?? .absent
        let categories: Setting<[ClusterSummary.Category]> =
            fields["categories"].map {
                choices(
                    $0,
                    whenEmpty:
                        ", so no cluster would be watched; leave it out for \(DiscoveryRule.defaultCategories.map(\.rawValue).sorted().joined(separator: " and "))"
                )
            } ?? .absent
        let phases: Setting<[String]> =
            fields["phases"].map {
                words(
                    $0,
                    whenEmpty:
                        ", so no cluster would be watched; leave it out for \(DiscoveryRule.defaultPhases.sorted().joined(separator: " and "))"
                )
            } ?? .absent
        let interval: Setting<Duration> = fields["interval"].map { discoveryInterval($0) } ?? .absent
        let credentials = credentialSetName(settings.credentials, scope: scope, at: fields.location, catalog: catalog)

        guard let regions = regions.value, let credentials, !projects.isInvalid, !include.isInvalid, !exclude.isInvalid,
            !labels.isInvalid, !categories.isInvalid, !phases.isInvalid, !interval.isInvalid, !settings.hasInvalidOption,
            fields["endpoint"] == nil || regions.count == 1
        else { return nil }
        return DiscoveryRule(
            regions: regions,
            projects: projects.value ?? [],
            include: include.value ?? [.any],
            exclude: exclude.value ?? [],
            labels: labels.value ?? [:],
            categories: categories.value.map(Set.init) ?? DiscoveryRule.defaultCategories,
            phases: phases.value.map(Set.init) ?? DiscoveryRule.defaultPhases,
            interval: interval.value ?? DiscoveryRule.defaultInterval,
            naming: settings.contextName.value ?? .default,
            options: settings.options(credentials: credentials),
            location: fields.location
        )
    }

    /// What a rule without regions, or with an empty list of them, is told: there is no default.
    private static let needsRegions = "needs at least one region in \"regions\", the regions whose clusters to list, such as [cn-north-4]"

    /// The scalar items of a non-empty list, each with its place; `nil` (reported) otherwise.
    /// `whenEmpty` ends the sentence for an empty list: what it would mean, and what to write instead.
    private mutating func scalarItems(_ field: Fields.Field, example: String, whenEmpty: String) -> [(
        text: String, location: SourceLocation?
    )]? {
        guard let items = field.value.items else {
            report("\"\(field.name)\" must be a list such as \(example), not \(Self.kind(of: field.value))", at: field.valueLocation)
            return nil
        }
        guard !items.isEmpty else {
            report("\"\(field.name)\" is empty\(whenEmpty)", at: field.valueLocation)
            return nil
        }
        var texts: [(String, SourceLocation?)] = []
        var valid = true
        for item in items.map(document.resolving) {
            let location = item.span?.start ?? field.valueLocation
            guard let text = item.scalarValue, !text.isEmpty else {
                report("each item of \"\(field.name)\" must be a single value, not \(Self.kind(of: item))", at: location)
                valid = false
                continue
            }
            texts.append((text, location))
        }
        return valid ? texts : nil
    }

    private mutating func regionList(_ field: Fields.Field, scope: ConfigScope) -> Setting<[String]> {
        guard let items = scalarItems(field, example: "[cn-north-4, ap-southeast-1]", whenEmpty: ", but \(scope.noun) \(Self.needsRegions)")
        else { return .invalid }
        var valid = true
        for item in items where !Identifiers.isRegion(item.text) {
            report("each item of \"regions\" must be a region id such as cn-north-4", at: item.location)
            valid = false
        }
        return valid ? .valid(items.map(\.text), at: field.valueLocation) : .invalid
    }

    /// Project names, each of one of the listed regions.
    private mutating func projectList(_ field: Fields.Field, regions: [String]) -> Setting<[String]> {
        guard
            let items = scalarItems(
                field,
                example: "[cn-north-4_dev]",
                whenEmpty: "; leave it out to list the project named like each region"
            )
        else { return .invalid }
        var valid = true
        for item in items {
            guard ProjectName.isValid(item.text) else {
                report("each item of \"projects\" must be a project name such as cn-north-4 or cn-north-4_dev", at: item.location)
                valid = false
                continue
            }
            if let region = ProjectName.region(of: item.text), !regions.isEmpty, !regions.contains(region) {
                report("project \"\(item.text)\" belongs to region \(region), which \"regions\" does not list", at: item.location)
                valid = false
            }
        }
        return valid ? .valid(items.map(\.text), at: field.valueLocation) : .invalid
    }

    private mutating func patterns(_ field: Fields.Field, whenEmpty: String) -> Setting<[NamePattern]> {
        guard let items = scalarItems(field, example: "[\"prod-*\"]", whenEmpty: whenEmpty) else { return .invalid }
        return .valid(items.map { NamePattern($0.text) }, at: field.valueLocation)
    }

    /// `labels: {env: prod, team: "a*"}`: each value a pattern.
    private mutating func labelPatterns(_ field: Fields.Field) -> Setting<[String: NamePattern]> {
        guard let pairs = fields(of: field.value, what: "\"labels\"") else { return .invalid }
        var labels: [String: NamePattern] = [:]
        var valid = true
        for pair in pairs.all {
            guard let text = pair.value.scalarValue, !pair.value.isNull else {
                report(
                    "the value of label \"\(pair.name)\" must be a single value (a pattern such as prod or \"*\")",
                    at: pair.valueLocation
                )
                valid = false
                continue
            }
            labels[pair.name] = NamePattern(text)
        }
        return valid ? .valid(labels, at: field.valueLocation) : .invalid
    }

    /// A list of an enumeration's raw values, each checked like a single ``choice(_:)``.
    private mutating func choices<Choice: RawRepresentable & CaseIterable>(_ field: Fields.Field, whenEmpty: String) -> Setting<[Choice]>
    where Choice.RawValue == String {
        guard let items = scalarItems(field, example: "[\(Choice.allCases.map(\.rawValue).joined(separator: ", "))]", whenEmpty: whenEmpty)
        else { return .invalid }
        var values: [Choice] = []
        var valid = true
        let names = Choice.allCases.map(\.rawValue)
        for item in items {
            guard let value = Choice(rawValue: item.text) else {
                var message = "each item of \"\(field.name)\" must be \(Self.alternatives(names)), not \"\(item.text)\""
                if let suggestion = KeySuggestion.closest(to: item.text, among: names) { message += "; did you mean \"\(suggestion)\"?" }
                report(message, at: item.location)
                valid = false
                continue
            }
            values.append(value)
        }
        return valid ? .valid(values, at: field.valueLocation) : .invalid
    }

    /// Phases as CCE spells them (`Available`, `Hibernation`, ...): free words, since CCE adds phases.
    private mutating func words(_ field: Fields.Field, whenEmpty: String) -> Setting<[String]> {
        guard let items = scalarItems(field, example: "[Available]", whenEmpty: whenEmpty) else { return .invalid }
        return .valid(items.map(\.text), at: field.valueLocation)
    }

    private mutating func discoveryInterval(_ field: Fields.Field) -> Setting<Duration> {
        guard let text = string(field).value else { return .invalid }
        guard let duration = DurationText.parse(text), duration >= DiscoveryRule.minimumInterval else {
            report("\"interval\" must be a duration of at least 1m, such as 10m or 1h", at: field.valueLocation)
            return .invalid
        }
        return .valid(duration, at: field.valueLocation)
    }
}
