import Durations
import YAML

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Reads a parsed config into a ``WatchListConfig``, collecting every problem on the way.
///
/// Each reader method checks one value, reports what is wrong with it and carries on, so that
/// a single pass finds all problems. The result is only used when no problem was found.
struct ConfigReader {
    let document: YAMLDocument
    let paths: PathResolver
    /// The config file's permission bits: inline secrets are refused when group or others may read it.
    let fileMode: UInt16
    private(set) var problems: [ConfigProblem] = []

    init(document: YAMLDocument, paths: PathResolver, fileMode: UInt16) {
        self.document = document
        self.paths = paths
        self.fileMode = fileMode
    }

    /// The config, or `nil` when there was any problem.
    mutating func read() -> WatchListConfig? {
        guard let root = document.root.map(document.resolving), !root.isNull else {
            report("the file holds no configuration; it needs at least credentials: and clusters:", at: nil)
            return nil
        }
        guard let top = fields(of: root, what: "the config") else { return nil }
        check(top, in: .topLevel)

        let kubeconfig = top["kubeconfig"].map { path($0) } ?? .absent
        let refresh = top["max_refresh"].map { maxRefresh($0) } ?? .absent
        let timeout = top["request_timeout"].map { requestTimeout($0) } ?? .absent
        let catalog = credentialCatalog(top["credentials"])
        let output = outputSettings(top)
        var base = ClusterSettings()
        if let field = top["cloud"] { base.cloud = choice(field) }
        var defaults = (top["defaults"].map { defaultSettings($0) } ?? ClusterSettings()).over(base)
        defaults.credentialMode = defaults.credentialMode.or(output.credentialMode)
        let clusters = clusters(top["clusters"], defaults: defaults, catalog: catalog, discovers: top["discover"] != nil)
        let discovery = discoveryRules(top["discover"], defaults: defaults, catalog: catalog)

        guard problems.isEmpty, let catalog else { return nil }
        var config = WatchListConfig(
            kubeconfigPath: kubeconfig.value,
            credentials: catalog.sets,
            clusters: clusters.compactMap(\.resolved),
            unresolved: clusters.filter { $0.resolved == nil },
            discovery: discovery,
            maxRefresh: refresh.value ?? WatchListConfig.defaultMaxRefresh,
            requestTimeout: timeout.value ?? WatchListConfig.defaultRequestTimeout
        )
        config.output = output.mode.value ?? .merge
        config.kubeconfigDirectory = output.directory.value ?? (try? paths.resolve("~/.kube/cce").get())
        return config
    }

    mutating func report(_ message: String, at location: SourceLocation?) {
        problems.append(ConfigProblem(message, at: location))
    }

    // MARK: Mappings and keys

    /// The pairs of a mapping, or `nil` (reported) when `node` is something else.
    mutating func fields(of node: YAMLNode, what: String) -> Fields? {
        guard let pairs = node.pairs else {
            report("\(what) must be a mapping, not \(Self.kind(of: node))", at: node.span?.start)
            return nil
        }
        var all: [Fields.Field] = []
        for pair in pairs {
            let key = document.resolving(pair.key)
            guard let name = key.scalarValue else {
                report("keys in \(what) must be plain names, not \(Self.kind(of: key))", at: key.span?.start)
                continue
            }
            all.append(Fields.Field(name: name, key: key, value: document.resolving(pair.value)))
        }
        return Fields(node: node, all: all)
    }

    /// Reports every key that `scope` does not allow.
    mutating func check(_ fields: Fields, in scope: ConfigScope) {
        let allowed = scope.allowedKeys
        for field in fields.all where !allowed.contains(field.name) {
            report(scope.unknownKeyMessage(field.name), at: field.keyLocation)
        }
    }

    // MARK: Values

    /// A scalar's text, whatever YAML type a reader would give it: `project_id: 0123...` stays digits.
    mutating func string(_ field: Fields.Field) -> Setting<String> {
        guard let text = field.value.scalarValue else {
            report("\"\(field.name)\" must be a single value, not \(Self.kind(of: field.value))", at: field.valueLocation)
            return .invalid
        }
        return .valid(text, at: field.valueLocation)
    }

    /// A non-empty scalar, named in problems but never quoted (it may be anything the user pasted).
    mutating func nonEmptyString(_ field: Fields.Field) -> Setting<String> {
        let text = string(field)
        if text.value?.isEmpty == true {
            report("\"\(field.name)\" is empty", at: field.valueLocation)
            return .invalid
        }
        return text
    }

    /// One of an enumeration's raw values, with a suggestion for a near miss.
    mutating func choice<Choice: RawRepresentable & CaseIterable>(_ field: Fields.Field) -> Setting<Choice>
    where Choice.RawValue == String {
        guard let text = string(field).value else { return .invalid }
        if let value = Choice(rawValue: text) { return .valid(value, at: field.valueLocation) }
        let names = Choice.allCases.map(\.rawValue)
        var message = "\"\(field.name)\" must be \(Self.alternatives(names)), not \"\(text)\""
        if let suggestion = KeySuggestion.closest(to: text, among: names) { message += "; did you mean \"\(suggestion)\"?" }
        report(message, at: field.valueLocation)
        return .invalid
    }

    /// A path, `~/` expanded and a relative one taken from the config's directory.
    mutating func path(_ field: Fields.Field) -> Setting<String> {
        guard let text = string(field).value else { return .invalid }
        switch paths.resolve(text) {
        case .success(let path):
            return .valid(path, at: field.valueLocation)
        case .failure(let problem):
            report("\"\(field.name)\" \(problem)", at: field.valueLocation)
            return .invalid
        }
    }

    /// A URL the daemon sends credentials to: `https://`, or `http://` on loopback only.
    mutating func serviceURL(_ field: Fields.Field) -> Setting<URL> {
        guard let text = string(field).value else { return .invalid }
        switch ServiceURL.parse(text) {
        case .success(let url):
            return .valid(url, at: field.valueLocation)
        case .failure(let problem):
            report("\"\(field.name)\" \(problem)", at: field.valueLocation)
            return .invalid
        }
    }

    /// A plain decimal integer (quoted digits are a string to every YAML reader, so they are refused).
    mutating func integer(_ field: Fields.Field, meaning: String) -> Setting<Int> {
        guard case .scalar(let text, .plain) = field.value.content, field.value.tag == nil, let number = Int(text) else {
            report("\"\(field.name)\" must be \(meaning)", at: field.valueLocation)
            return .invalid
        }
        return .valid(number, at: field.valueLocation)
    }

    private mutating func maxRefresh(_ field: Fields.Field) -> Setting<Duration> {
        guard let text = string(field).value else { return .invalid }
        guard let duration = DurationText.parse(text) else {
            report("\"max_refresh\" must be a duration such as 24h, 90m or 1h30m", at: field.valueLocation)
            return .invalid
        }
        // Shorter would fetch certificates over and over and run into the API's rate limits.
        guard duration >= WatchListConfig.minimumMaxRefresh else {
            report("\"max_refresh\" must be at least \(DurationText.spelled(WatchListConfig.minimumMaxRefresh))", at: field.valueLocation)
            return .invalid
        }
        return .valid(duration, at: field.valueLocation)
    }

    private mutating func requestTimeout(_ field: Fields.Field) -> Setting<Duration> {
        guard let text = string(field).value else { return .invalid }
        guard let duration = DurationText.parse(text), WatchListConfig.requestTimeoutRange.contains(duration) else {
            let range = WatchListConfig.requestTimeoutRange
            report(
                "\"request_timeout\" must be a duration from \(DurationText.spelled(range.lowerBound)) to \(DurationText.spelled(range.upperBound)), such as 30s",
                at: field.valueLocation
            )
            return .invalid
        }
        return .valid(duration, at: field.valueLocation)
    }

    // MARK: Wording

    /// How a message names the kind of a node that stands where another kind belongs.
    static func kind(of node: YAMLNode) -> String {
        switch node.content {
        case .scalar where node.isNull: "empty"
        case .scalar: "a single value"
        case .sequence: "a list"
        case .mapping: "a mapping"
        case .alias: "an alias"
        }
    }

    /// `a, b or c`.
    static func alternatives(_ names: [String]) -> String {
        guard let last = names.last, names.count > 1 else { return names.joined() }
        return names.dropLast().joined(separator: ", ") + " or " + last
    }
}
