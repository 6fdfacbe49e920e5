#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Kubeconfig
import YAML

extension ConfigReader {
    /// The `defaults:` mapping, its values checked once, where they are written.
    mutating func defaultSettings(_ field: Fields.Field) -> ClusterSettings {
        guard let fields = fields(of: field.value, what: "\"defaults\"") else { return ClusterSettings() }
        check(fields, in: .defaults)
        return settings(fields)
    }

    /// The `clusters:` list; a cluster with any problem is left out (and the parse fails).
    mutating func clusters(_ field: Fields.Field?, defaults: ClusterSettings, catalog: CredentialCatalog?) -> [WatchedCluster] {
        // An empty or truncated file must not read as "watch nothing", which would prune every
        // managed entry; watching nothing takes an explicit `clusters: []`.
        guard let field else {
            report("\"clusters\" is missing; write clusters: [] to watch no cluster", at: nil)
            return []
        }
        guard let items = field.value.items else {
            report("\"clusters\" must be a list, not \(Self.kind(of: field.value))", at: field.valueLocation)
            return []
        }
        var firstUse: [String: SourceLocation] = [:]
        var clusters: [WatchedCluster] = []
        for item in items {
            guard let fields = fields(of: document.resolving(item), what: "each item of \"clusters\"") else { continue }
            let scope = ConfigScope.cluster(name: fields["name"]?.value.scalarValue)
            check(fields, in: scope)
            let name = fields["name"].map { watchName($0) } ?? .absent
            if let text = name.value, let location = name.location {
                if let first = firstUse[text] {
                    report("cluster name \"\(text)\" is used twice (first at \(first))", at: location)
                } else {
                    firstUse[text] = location
                }
            }
            if let cluster = cluster(fields, name: name, scope: scope, defaults: defaults, catalog: catalog) {
                clusters.append(cluster)
            }
        }
        return clusters
    }

    private mutating func cluster(
        _ fields: Fields,
        name: Setting<String>,
        scope: ConfigScope,
        defaults: ClusterSettings,
        catalog: CredentialCatalog?
    ) -> WatchedCluster? {
        if name.isAbsent {
            report("\(scope.noun) needs a \"name\" (its watch name)", at: fields.location)
        }
        let clusterID = clusterID(in: fields, scope: scope)
        let settings = settings(fields).over(defaults)
        if settings.projectID.isAbsent {
            report("\(scope.noun) needs \"project_id\" (here or under defaults:)", at: fields.location)
        }
        if settings.region.isAbsent, settings.endpoint.isAbsent {
            report("\(scope.noun) needs a \"region\" (or an \"endpoint\"), here or under defaults:", at: fields.location)
        }
        let credentials = credentialSetName(settings.credentials, scope: scope, at: fields.location, catalog: catalog)

        guard let name = name.value, let clusterID = clusterID.value, let projectID = settings.projectID.value, let credentials,
            !settings.region.isInvalid, !settings.endpoint.isInvalid, !settings.endpoints.isInvalid, !settings.caFile.isInvalid,
            !settings.api.isInvalid, !settings.type.isInvalid, !settings.externalTLS.isInvalid, !settings.durationDays.isInvalid,
            !settings.credentialMode.isInvalid
        else { return nil }
        return WatchedCluster(
            name: name,
            projectID: projectID,
            clusterID: clusterID,
            region: settings.region.value,
            credentials: credentials,
            endpoints: settings.endpoints.value,
            endpoint: settings.endpoint.value,
            caFile: settings.caFile.value,
            api: settings.api.value ?? .post,
            type: settings.type.value ?? .cce,
            externalTLS: settings.externalTLS.value ?? .insecure,
            durationDays: settings.durationDays.value ?? WatchedCluster.defaultDurationDays,
            credentialMode: settings.credentialMode.value ?? .embed
        )
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

    /// `cluster_id`, which only the cluster itself can give.
    private mutating func clusterID(in fields: Fields, scope: ConfigScope) -> Setting<String> {
        guard let field = fields["cluster_id"] else {
            report("\(scope.noun) needs \"cluster_id\"", at: fields.location)
            return .absent
        }
        let id = string(field)
        if let text = id.value, !Identifiers.isClusterID(text) {
            report("\"cluster_id\" must be a UUID in lowercase hexadecimal, such as 4e7a9f1c-0000-11ee-8f3a-0255ac100b03", at: field.valueLocation)
            return .invalid
        }
        return id
    }

    /// The set a cluster uses: the one it names, else the only one, else the one named `default`.
    private mutating func credentialSetName(
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
    private mutating func settings(_ fields: Fields) -> ClusterSettings {
        var settings = ClusterSettings()
        if let field = fields["project_id"] {
            settings.projectID = string(field)
            if let text = settings.projectID.value, !Identifiers.isProjectID(text) {
                let found = text.count == 32 ? "a character that is not 0-9 or a-f" : "\(text.count) characters"
                report("\"project_id\" must be 32 lowercase hexadecimal digits (found \(found))", at: field.valueLocation)
                settings.projectID = .invalid
            }
        }
        if let field = fields["region"] {
            settings.region = string(field)
            if let text = settings.region.value, !Identifiers.isRegion(text) {
                report("\"region\" must be a region id such as cn-north-4", at: field.valueLocation)
                settings.region = .invalid
            }
        }
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
        return settings
    }

    /// `endpoints: [internal, external]`: a non-empty list of endpoint names.
    private mutating func endpointNames(_ field: Fields.Field) -> Setting<Set<String>> {
        guard let items = field.value.items else {
            report("\"endpoints\" must be a list such as [internal, external], not \(Self.kind(of: field.value))", at: field.valueLocation)
            return .invalid
        }
        guard !items.isEmpty else {
            report("\"endpoints\" is empty, so nothing would be written; leave it out to write every endpoint CCE returns", at: field.valueLocation)
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
                var message = "unknown endpoint \"\(name)\" in \"endpoints\"; the endpoints are \(Self.alternatives(WatchedCluster.endpointNames))"
                if let suggestion = KeySuggestion.closest(to: name, among: WatchedCluster.endpointNames) { message += "; did you mean \"\(suggestion)\"?" }
                report(message, at: location)
                valid = false
                continue
            }
            names.insert(name)
        }
        return valid ? .valid(names, at: field.valueLocation) : .invalid
    }
}
