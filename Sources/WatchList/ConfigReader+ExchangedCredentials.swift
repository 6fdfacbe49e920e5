import Durations
import HostAddress
import YAML

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Where each agency set takes its source from, for the check of the whole chain once every set is read.
struct AgencySources {
    struct Link {
        var source: String
        var location: SourceLocation?
        var api: AgencySet.API
        var duration: Duration
        var durationLocation: SourceLocation?
    }

    /// By the agency set's name, in source order.
    var links: [(name: String, link: Link)] = []
}

extension ConfigReader {
    /// `type: agency`. The source is only recorded here: whether it exists and whether the chain
    /// loops is known once every set is read (``checkAgencySources(_:sets:names:)``).
    mutating func agencySet(_ fields: Fields, of set: Fields.Field, sources: inout AgencySources) -> CredentialSet? {
        let source = required("source", in: fields, of: set)
        let agencyName = required("agency_name", in: fields, of: set)
        let api: Setting<AgencySet.API> = fields["api"].map { choice($0) } ?? .absent
        let domainName = fields["domain_name"].map { nonEmptyString($0) } ?? .absent
        let domainID = fields["domain_id"].map { nonEmptyString($0) } ?? .absent
        let iamEndpoint = fields["iam_endpoint"].map { serviceURL($0) } ?? .absent
        let stsEndpoint = fields["sts_endpoint"].map { serviceURL($0) } ?? .absent
        let caFile = fields["ca_file"].map { path($0) } ?? .absent
        let chosenAPI = api.value ?? .iam
        let sessionUser = fields["session_user"].map { sessionName($0, api: chosenAPI) } ?? .absent
        let durations = chosenAPI == .sts ? AgencySet.stsDurations : AgencySet.iamDurations
        let duration = fields["duration"].map { self.duration($0, within: durations, example: "1h") } ?? .absent

        let account: AgencySet.Account?
        switch (domainName, domainID) {
        case (.valid(let name, _), .absent): account = .name(name)
        case (.absent, .valid(let id, _)): account = .id(id)
        case (.valid, .valid):
            report(
                "credential set \"\(set.name)\" gives both \"domain_name\" and \"domain_id\"; keep one",
                at: fields["domain_id"]?.keyLocation
            )
            account = nil
        case (.absent, .absent):
            report(
                "credential set \"\(set.name)\" needs \"domain_name\" or \"domain_id\": the account that owns the agency",
                at: set.keyLocation
            )
            account = nil
        default:
            account = nil
        }
        if chosenAPI == .sts, case .name? = account {
            report(
                "credential set \"\(set.name)\" uses api: sts, whose agency URN names the account by id; give \"domain_id\" instead of \"domain_name\"",
                at: fields["domain_name"]?.keyLocation
            )
        }
        if chosenAPI == .iam, let field = fields["sts_endpoint"] {
            report(
                "\"sts_endpoint\" is for api: sts; this agency uses IAM (api: iam), whose endpoint is \"iam_endpoint\"",
                at: field.keyLocation
            )
        }
        if chosenAPI == .sts, let field = fields["iam_endpoint"] {
            report(
                "\"iam_endpoint\" is for api: iam; this agency uses STS (api: sts), whose endpoint is \"sts_endpoint\"",
                at: field.keyLocation
            )
        }

        if let source = source.value {
            sources.links.append(
                (
                    set.name,
                    AgencySources.Link(
                        source: source,
                        location: fields["source"]?.valueLocation,
                        api: chosenAPI,
                        duration: duration.value ?? AgencySet.defaultDuration,
                        durationLocation: fields["duration"]?.valueLocation ?? set.keyLocation
                    )
                )
            )
        }
        guard let source = source.value, let agencyName = agencyName.value, let account,
            !api.isInvalid, !duration.isInvalid, !sessionUser.isInvalid, !iamEndpoint.isInvalid, !stsEndpoint.isInvalid, !caFile.isInvalid
        else { return nil }
        return .agency(
            AgencySet(
                source: source,
                agencyName: agencyName,
                account: account,
                duration: duration.value ?? AgencySet.defaultDuration,
                sessionUser: sessionUser.value,
                api: chosenAPI,
                endpoint: chosenAPI == .sts ? stsEndpoint.value : iamEndpoint.value,
                caFile: caFile.value
            )
        )
    }

    /// Every agency's source must be a set of the config, and following sources must end at a
    /// set that is not an agency. Each loop is reported once, at the `source` of its first set in
    /// the file. STS grants at most an hour to a caller that uses temporary keys itself.
    mutating func checkAgencySources(_ sources: AgencySources, sets: [String: CredentialSet], names: [String]) {
        let links = Dictionary(sources.links.map { ($0.name, $0.link) }, uniquingKeysWith: { first, _ in first })
        var reported: Set<String> = []
        for (name, link) in sources.links {
            guard names.contains(link.source) else {
                report(
                    "credential set \"\(name)\" takes its source from \"\(link.source)\", which is not a set under credentials: (sets: \(names.joined(separator: ", ")))",
                    at: link.location
                )
                continue
            }
            var chain = [name]
            var next = link.source
            while let step = links[next] {
                if let start = chain.firstIndex(of: next) {
                    let loop = Array(chain[start...])
                    if reported.isDisjoint(with: loop) {
                        reported.formUnion(loop)
                        let first = loop.min { a, b in Self.precedes(links[a]?.location, links[b]?.location) } ?? name
                        let rotated = Array(loop.drop { $0 != first } + loop.prefix { $0 != first }) + [first]
                        report(
                            "credential sets " + rotated.map { "\"\($0)\"" }.joined(separator: " → ")
                                + " form a loop of agencies: each takes its source from the next, so none can be assumed; end the chain at a set of another type",
                            at: links[first]?.location
                        )
                    }
                    break
                }
                chain.append(next)
                next = step.source
            }
            if link.api == .sts, link.duration > AgencySet.longestChainedSTSDuration, let source = sets[link.source],
                Self.givesTemporaryKeys(source)
            {
                report(
                    "credential set \"\(name)\" assumes its agency with the temporary keys of \"\(link.source)\", for which STS grants at most 1h; make \"duration\" 1h or less",
                    at: link.durationLocation
                )
            }
        }
    }

    /// Whether a set signs with temporary keys, which caps the sessions STS grants it.
    private static func givesTemporaryKeys(_ set: CredentialSet) -> Bool {
        switch set {
        case .agency, .oidc, .metadata: true
        case .aksk(_, _, let securityToken): securityToken != nil
        case .token, .password, .sdk, .process: false
        }
    }

    private static func precedes(_ a: SourceLocation?, _ b: SourceLocation?) -> Bool {
        guard let a, let b else { return a != nil }
        return (a.line, a.column) < (b.line, b.column)
    }

    /// `type: oidc`.
    mutating func oidcSet(_ fields: Fields, of set: Fields.Field) -> OIDCSet? {
        let idpID = required("idp_id", in: fields, of: set)
        var tokenFile: Setting<String> = .absent
        if let field = fields["id_token_file"] {
            tokenFile = path(field)
        } else {
            report("credential set \"\(set.name)\" needs \"id_token_file\", the file the id token is read from", at: set.keyLocation)
        }
        let projectID = fields["project_id"].map { nonEmptyString($0) } ?? .absent
        let domainID = fields["domain_id"].map { nonEmptyString($0) } ?? .absent
        let iamEndpoint = fields["iam_endpoint"].map { serviceURL($0) } ?? .absent
        let caFile = fields["ca_file"].map { path($0) } ?? .absent
        let scope: OIDCSet.Scope?
        switch (projectID, domainID) {
        case (.valid(let id, _), .absent): scope = .project(id: id)
        case (.absent, .valid(let id, _)): scope = .domain(id: id)
        case (.valid, .valid):
            report(
                "credential set \"\(set.name)\" gives both \"project_id\" and \"domain_id\"; the federated token is scoped to one",
                at: fields["domain_id"]?.keyLocation
            )
            scope = nil
        case (.absent, .absent):
            report(
                "credential set \"\(set.name)\" needs \"project_id\" or \"domain_id\": what the federated token is scoped to",
                at: set.keyLocation
            )
            scope = nil
        default:
            scope = nil
        }
        guard let idpID = idpID.value, let tokenFile = tokenFile.value, let scope, !iamEndpoint.isInvalid, !caFile.isInvalid else {
            return nil
        }
        return OIDCSet(idpID: idpID, idTokenFile: tokenFile, scope: scope, iamEndpoint: iamEndpoint.value, caFile: caFile.value)
    }

    /// `type: process`.
    mutating func processSet(_ fields: Fields, of set: Fields.Field) -> ProcessSet? {
        let timeout = fields["timeout"].map { duration($0, within: ProcessSet.timeouts, example: "30s") } ?? .absent
        guard let field = fields["command"] else {
            report(
                "credential set \"\(set.name)\" needs \"command\": the program and its arguments as a list, run without a shell",
                at: set.keyLocation
            )
            return nil
        }
        guard let items = field.value.items, !items.isEmpty else {
            report("\"command\" must be a non-empty list: the program, then its arguments (no shell parses it)", at: field.valueLocation)
            return nil
        }
        var command: [String] = []
        for item in items.map(document.resolving) {
            guard let text = item.scalarValue else {
                report("each item of \"command\" must be a single value, not \(Self.kind(of: item))", at: item.span?.start)
                return nil
            }
            command.append(text)
        }
        guard !command[0].isEmpty else {
            report("the program in \"command\" is empty", at: items[0].span?.start ?? field.valueLocation)
            return nil
        }
        if command[0].contains("/") || command[0].hasPrefix("~") {
            switch paths.resolve(command[0]) {
            case .success(let path): command[0] = path
            case .failure(let problem):
                report("the program in \"command\" \(problem)", at: items[0].span?.start)
                return nil
            }
        }
        guard !timeout.isInvalid else { return nil }
        return ProcessSet(command: command, timeout: timeout.value ?? ProcessSet.defaultTimeout)
    }

    /// The metadata service's address: only the link-local default, or a loopback host for tests.
    mutating func metadataEndpoint(_ field: Fields.Field) -> Setting<URL> {
        guard let text = string(field).value else { return .invalid }
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
            let host = url.host(percentEncoded: false), LoopbackHost.contains(host)
        else {
            report(
                "\"endpoint\" of a metadata set may only be a loopback URL such as http://127.0.0.1:8080, for tests; leave it out to use the ECS metadata service",
                at: field.valueLocation
            )
            return .invalid
        }
        return .valid(url, at: field.valueLocation)
    }

    /// A duration such as `1h` within `range`.
    private mutating func duration(_ field: Fields.Field, within range: ClosedRange<Duration>, example: String) -> Setting<Duration> {
        guard let text = string(field).value else { return .invalid }
        guard let duration = DurationText.parse(text), range.contains(duration) else {
            report(
                "\"\(field.name)\" must be a duration from \(DurationText.spelled(range.lowerBound)) to \(DurationText.spelled(range.upperBound)), such as \(example)",
                at: field.valueLocation
            )
            return .invalid
        }
        return .valid(duration, at: field.valueLocation)
    }

    /// A session's user name of letters, digits and `_+=,.@-`: STS takes 2 to 64 of them, IAM's
    /// `session_user.name` 5 to 64 starting with a letter.
    private mutating func sessionName(_ field: Fields.Field, api: AgencySet.API) -> Setting<String> {
        guard let text = nonEmptyString(field).value else { return .invalid }
        let allowed = text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_+=,.@-".contains($0)) }
        switch api {
        case .sts where !(2...64).contains(text.count) || !allowed:
            report("\"session_user\" must be 2 to 64 letters, digits and _+=,.@- for STS", at: field.valueLocation)
            return .invalid
        case .iam where !(5...64).contains(text.count) || !allowed || text.first?.isLetter != true:
            report(
                "\"session_user\" must be 5 to 64 letters, digits and _+=,.@-, starting with a letter, for IAM's assume_role",
                at: field.valueLocation
            )
            return .invalid
        default:
            return .valid(text, at: field.valueLocation)
        }
    }
}
