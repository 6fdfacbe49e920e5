import Kubeconfig
import YAML

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension ConfigReader {
    /// The `defaults:` mapping, its values checked once, where they are written.
    mutating func defaultSettings(_ field: Fields.Field) -> ClusterSettings {
        guard let fields = fields(of: field.value, what: "\"defaults\"") else { return ClusterSettings() }
        check(fields, in: .defaults)
        return settings(fields)
    }

    /// The `clusters:` list; a cluster with any problem is left out (and the parse fails).
    mutating func clusters(_ field: Fields.Field?, defaults: ClusterSettings, catalog: CredentialCatalog?, discovers: Bool) -> [ClusterSpec]
    {
        // An empty or truncated file must not read as "watch nothing", which would prune every
        // managed entry; watching nothing takes an explicit `clusters: []`, or `discover:` rules
        // that say what to watch instead.
        guard let field else {
            if !discovers { report("\"clusters\" is missing; write clusters: [] to watch no cluster", at: nil) }
            return []
        }
        guard let items = field.value.items else {
            report("\"clusters\" must be a list, not \(Self.kind(of: field.value))", at: field.valueLocation)
            return []
        }
        var firstUse: [String: SourceLocation] = [:]
        var clusters: [ClusterSpec] = []
        for item in items {
            guard let fields = fields(of: document.resolving(item), what: "each item of \"clusters\"") else { continue }
            let given = fields["name"]?.value.scalarValue ?? fields["cluster"]?.value.scalarValue
            let scope = ConfigScope.cluster(name: given)
            check(fields, in: scope)
            let (name, spec) = cluster(fields, scope: scope, defaults: defaults, catalog: catalog)
            if let text = name.value, let location = name.location {
                if let first = firstUse[text] {
                    report("cluster name \"\(text)\" is used twice (first at \(first))", at: location)
                } else {
                    firstUse[text] = location
                }
            }
            if let spec { clusters.append(spec) }
        }
        return clusters
    }

    /// One item of `clusters:`: its watch name (for the check that no two share one) and, when
    /// nothing is wrong with it, the item.
    private mutating func cluster(
        _ fields: Fields,
        scope: ConfigScope,
        defaults: ClusterSettings,
        catalog: CredentialCatalog?
    ) -> (name: Setting<String>, spec: ClusterSpec?) {
        let identity = clusterIdentity(in: fields, scope: scope)
        let settings = settings(fields).over(defaults)
        if settings.region.isAbsent, settings.endpoint.isAbsent {
            report("\(scope.noun) needs a \"region\" (or an \"endpoint\"), here or under defaults:", at: fields.location)
        }
        let project = project(of: settings, scope: scope, at: fields.location)
        let name = clusterWatchName(fields, identity: identity, settings: settings, project: project, scope: scope)
        let credentials = credentialSetName(settings.credentials, scope: scope, at: fields.location, catalog: catalog)

        guard let watchName = name.value, let identity = identity.value, let project = project.value, let credentials,
            !settings.region.isInvalid, !settings.hasInvalidOption
        else { return (name, nil) }
        let spec = ClusterSpec(
            watchName: watchName,
            cluster: identity,
            project: project,
            region: settings.region.value,
            options: settings.options(credentials: credentials),
            location: fields.location
        )
        return (name, spec)
    }

    /// `cluster_id` or `cluster`, exactly one, which only the cluster itself can give.
    private mutating func clusterIdentity(in fields: Fields, scope: ConfigScope) -> Setting<ClusterSpec.Cluster> {
        switch (fields["cluster_id"], fields["cluster"]) {
        case (nil, nil):
            report("\(scope.noun) needs \"cluster\" (its name in the console) or \"cluster_id\"", at: fields.location)
            return .absent
        case (.some, .some(let second)):
            report("\(scope.noun) gives both \"cluster_id\" and \"cluster\"; keep exactly one", at: second.keyLocation)
            return .invalid
        case (nil, let field?):
            guard let text = nonEmptyString(field).value else { return .invalid }
            return .valid(.name(text), at: field.valueLocation)
        case (let field?, nil):
            let id = string(field)
            guard let text = id.value else { return .invalid }
            guard Identifiers.isClusterID(text) else {
                report(
                    "\"cluster_id\" must be a UUID in lowercase hexadecimal, such as 4e7a9f1c-0000-11ee-8f3a-0255ac100b03",
                    at: field.valueLocation
                )
                return .invalid
            }
            return .valid(.id(text), at: field.valueLocation)
        }
    }

    /// The project given, or else the one named like the region; a project name must be one of the region's.
    private mutating func project(of settings: ClusterSettings, scope: ConfigScope, at location: SourceLocation?) -> Setting<
        ClusterSpec.Project
    > {
        switch settings.project {
        case .invalid:
            return .invalid
        case .absent:
            guard let region = settings.region.value else {
                if settings.region.isAbsent, !settings.endpoint.isAbsent {
                    report("\(scope.noun) needs \"project_id\": without a region there is no project named like it", at: location)
                }
                return .invalid
            }
            return .valid(.name(region), at: settings.region.location)
        case .valid(.id, _):
            return settings.project
        case .valid(.name(let name), let at):
            guard let region = settings.region.value else {
                if settings.region.isAbsent, !settings.endpoint.isAbsent {
                    report(
                        "\(scope.noun) names its project, which needs a \"region\" to be looked up in; give \"project_id\" instead",
                        at: at
                    )
                }
                return .invalid
            }
            guard ProjectName.region(of: name) == region else {
                report(
                    "\"project\" \"\(name)\" is not a project of region \(region), whose projects are named \(region) or \(region)_<name>",
                    at: at
                )
                return .invalid
            }
            return settings.project
        }
    }

    /// The watch name: `name`, or for a cluster given by its console name the `context_name` template over it.
    private mutating func clusterWatchName(
        _ fields: Fields,
        identity: Setting<ClusterSpec.Cluster>,
        settings: ClusterSettings,
        project: Setting<ClusterSpec.Project>,
        scope: ConfigScope
    ) -> Setting<String> {
        if let field = fields["name"] { return watchName(field) }
        switch identity {
        case .absent, .invalid:
            return .invalid
        case .valid(.id, _):
            report(
                "\(scope.noun) needs a \"name\" (its watch name); only a cluster given by \"cluster\" can take it from context_name",
                at: fields.location
            )
            return .absent
        case .valid(.name(let consoleName), let location):
            guard !settings.contextName.isInvalid else { return .invalid }
            let template = settings.contextName.value ?? .default
            let region = settings.region.value
            if template.uses(.region), region == nil {
                report(
                    "context_name \"\(template)\" uses {region}, but cluster \"\(consoleName)\" has no region; set \"name\" or \"region\"",
                    at: location
                )
                return .invalid
            }
            let projectText: String
            switch project.value {
            case .name(let name)?: projectText = name
            case .id(let id)?: projectText = id
            case nil:
                if template.uses(.project) { return .invalid }
                projectText = ""
            }
            let name = template.render(name: consoleName, region: region ?? "", project: projectText)
            guard WatchName.isValid(name) else {
                report(
                    "context_name \"\(template)\" makes \"\(name)\" of cluster \"\(consoleName)\", which is not a valid watch name "
                        + "(lowercase letters, digits, \"-\", \".\" and \"_\", starting and ending with a letter or digit); set \"name\" for it",
                    at: location
                )
                return .invalid
            }
            return .valid(name, at: location)
        }
    }

    /// A watch name, from which every entry name is made.
    private mutating func watchName(_ field: Fields.Field) -> Setting<String> {
        let name = string(field)
        if let text = name.value, !WatchName.isValid(text) {
            report(
                "cluster name \"\(text)\" is not a valid watch name: use lowercase letters, digits, \"-\", \".\" and \"_\", "
                    + "starting and ending with a letter or digit",
                at: field.valueLocation
            )
            return .invalid
        }
        return name
    }

    /// The set a cluster uses: the one it names, else the only one, else the one named `default`.
    mutating func credentialSetName(
        _ setting: Setting<String>,
        scope: ConfigScope,
        at location: SourceLocation?,
        catalog: CredentialCatalog?
    ) -> String? {
        // Without any set the problem was reported once, at "credentials".
        guard let catalog else { return nil }
        switch setting {
        case .valid(let name, let location):
            guard catalog.names.contains(name) else {
                // The name is not quoted: a key pasted here by mistake must not reach the message.
                var message = "\"credentials\" names no set defined under credentials: (defined: \(catalog.names.joined(separator: ", ")))"
                if let suggestion = KeySuggestion.closest(to: name, among: catalog.names) { message += "; did you mean \"\(suggestion)\"?" }
                report(message, at: location)
                return nil
            }
            return name
        case .absent:
            if catalog.names.count == 1 { return catalog.names[0] }
            if catalog.names.contains("default") { return "default" }
            report(
                "\(scope.noun) does not say which credentials to use: set \"credentials\" to one of "
                    + "\(catalog.names.joined(separator: ", ")), here or under defaults:, or name one set \"default\"",
                at: location
            )
            return nil
        case .invalid:
            return nil
        }
    }

    /// The keys a cluster shares with `defaults:`, each checked where it is written.
    mutating func settings(_ fields: Fields) -> ClusterSettings {
        var settings = ClusterSettings()
        switch (fields["project_id"], fields["project"]) {
        case (let field?, nil):
            let id = string(field)
            if let text = id.value, !Identifiers.isProjectID(text) {
                let found = text.count == 32 ? "a character that is not 0-9 or a-f" : "\(text.count) characters"
                report("\"project_id\" must be 32 lowercase hexadecimal digits (found \(found))", at: field.valueLocation)
                settings.project = .invalid
            } else if let text = id.value {
                settings.project = .valid(.id(text), at: field.valueLocation)
            } else {
                settings.project = .invalid
            }
        case (nil, let field?):
            let name = nonEmptyString(field)
            if let text = name.value, !ProjectName.isValid(text) {
                report("\"project\" must be a project name such as cn-north-4 or cn-north-4_dev", at: field.valueLocation)
                settings.project = .invalid
            } else if let text = name.value {
                settings.project = .valid(.name(text), at: field.valueLocation)
            } else {
                settings.project = .invalid
            }
        case (.some, .some(let second)):
            report("\"project_id\" and \"project\" both give the project; keep exactly one", at: second.keyLocation)
            settings.project = .invalid
        case (nil, nil):
            break
        }
        if let field = fields["region"] {
            settings.region = string(field)
            if let text = settings.region.value, !Identifiers.isRegion(text) {
                report("\"region\" must be a region id such as cn-north-4", at: field.valueLocation)
                settings.region = .invalid
            }
        }
        if let field = fields["cloud"] { settings.cloud = choice(field) }
        if let field = fields["credentials"] { settings.credentials = nonEmptyString(field) }
        if let field = fields["endpoints"] { settings.endpoints = endpointNames(field) }
        if let field = fields["endpoint"] { settings.endpoint = serviceURL(field) }
        if let field = fields["ca_file"] { settings.caFile = path(field) }
        if let field = fields["api"] { settings.api = choice(field) }
        if let field = fields["type"] { settings.type = choice(field) }
        if let field = fields["external_tls"] { settings.externalTLS = choice(field) }
        if let field = fields["credential_mode"] { settings.credentialMode = choice(field) }
        if let field = fields["duration_days"] {
            let meaning = "a whole number of days from 1 to 1827, or -1 (the longest CCE allows)"
            settings.durationDays = integer(field, meaning: meaning)
            if let days = settings.durationDays.value, days != -1, !WatchedCluster.durationDaysRange.contains(days) {
                report("\"duration_days\" must be \(meaning)", at: field.valueLocation)
                settings.durationDays = .invalid
            }
        }
        if let field = fields["context_name"] { settings.contextName = nameTemplate(field) }
        if let field = fields["namespace"] { settings.namespace = namespace(field) }
        if let field = fields["proxy_url"] { settings.proxyURL = proxyURL(field) }
        return settings
    }

    /// `endpoints: [internal, external]`: a non-empty list of endpoint names.
    private mutating func endpointNames(_ field: Fields.Field) -> Setting<Set<String>> {
        guard let items = field.value.items else {
            report("\"endpoints\" must be a list such as [internal, external], not \(Self.kind(of: field.value))", at: field.valueLocation)
            return .invalid
        }
        guard !items.isEmpty else {
            report(
                "\"endpoints\" is empty, so nothing would be written; leave it out to write every endpoint CCE returns",
                at: field.valueLocation
            )
            return .invalid
        }
        var names: Set<String> = []
        var valid = true
        for item in items.map(document.resolving) {
            let location = item.span?.start ?? field.valueLocation
            guard let name = item.scalarValue else {
                report("each item of \"endpoints\" must be a single value, not \(Self.kind(of: item))", at: location)
                valid = false
                continue
            }
            guard WatchedCluster.endpointNames.contains(name) else {
                var message =
                    "unknown endpoint \"\(name)\" in \"endpoints\"; the endpoints are \(Self.alternatives(WatchedCluster.endpointNames))"
                if let suggestion = KeySuggestion.closest(to: name, among: WatchedCluster.endpointNames) {
                    message += "; did you mean \"\(suggestion)\"?"
                }
                report(message, at: location)
                valid = false
                continue
            }
            names.insert(name)
        }
        return valid ? .valid(names, at: field.valueLocation) : .invalid
    }
}
