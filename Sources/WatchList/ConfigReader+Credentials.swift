import YAML

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The credential sets of a config, as far as they could be read.
struct CredentialCatalog {
    /// The sets that are valid.
    var sets: [String: CredentialSet]
    /// Every set name, valid or not: a cluster naming a broken set is not also told the set is unknown.
    var names: [String]
}

extension ConfigReader {
    /// The `credentials:` mapping; `nil` (reported once, not per cluster) when it holds no set.
    mutating func credentialCatalog(_ field: Fields.Field?) -> CredentialCatalog? {
        guard let field else {
            report(
                "\"credentials\" is missing; every cluster needs a credential set, the simplest being credentials: {default: {type: sdk}}",
                at: nil
            )
            return nil
        }
        guard let sets = fields(of: field.value, what: "\"credentials\"") else { return nil }
        guard !sets.all.isEmpty else {
            report("\"credentials\" holds no credential set", at: field.valueLocation)
            return nil
        }
        var catalog = CredentialCatalog(sets: [:], names: sets.all.map(\.name))
        var sources = AgencySources()
        for set in sets.all {
            catalog.sets[set.name] = credentialSet(set, sources: &sources)
        }
        checkAgencySources(sources, sets: catalog.sets, names: catalog.names)
        return catalog
    }

    /// One named set, or `nil` (reported) when anything in it is wrong.
    private mutating func credentialSet(_ set: Fields.Field, sources: inout AgencySources) -> CredentialSet? {
        let noun = "credential set \"\(set.name)\""
        guard let fields = fields(of: set.value, what: noun) else { return nil }
        let kind: Setting<CredentialSet.Kind> = fields["type"].map { choice($0) } ?? .absent
        check(fields, in: .credentialSet(name: set.name, kind: kind.value))
        guard let kind = kind.value else {
            if kind.isAbsent {
                report("\(noun) needs a type: \(Self.alternatives(CredentialSet.Kind.allCases.map(\.rawValue)))", at: set.keyLocation)
            }
            return nil
        }

        let secrets = ConfigKeys.secrets(of: kind)
        var found: [String: Setting<SecretSource>] = [:]
        for name in secrets.required {
            found[name] = secret(name, in: fields, of: set, required: true)
        }
        for name in secrets.optional {
            found[name] = secret(name, in: fields, of: set, required: false)
        }

        switch kind {
        case .aksk:
            guard let accessKey = found["access_key"]?.value, let secretKey = found["secret_key"]?.value,
                let securityToken = found["security_token"], !securityToken.isInvalid
            else { return nil }
            return .aksk(accessKey: accessKey, secretKey: secretKey, securityToken: securityToken.value)
        case .token:
            return found["token"]?.value.map(CredentialSet.token)
        case .password:
            let user = required("user", in: fields, of: set)
            let domain = required("domain", in: fields, of: set)
            let iamEndpoint = fields["iam_endpoint"].map { serviceURL($0) } ?? .absent
            let caFile = fields["ca_file"].map { path($0) } ?? .absent
            guard let user = user.value, let domain = domain.value, let password = found["password"]?.value,
                !iamEndpoint.isInvalid, !caFile.isInvalid
            else { return nil }
            return .password(user: user, domain: domain, password: password, iamEndpoint: iamEndpoint.value, caFile: caFile.value)
        case .sdk:
            return .sdk
        case .agency:
            return agencySet(fields, of: set, sources: &sources)
        case .oidc:
            return oidcSet(fields, of: set).map(CredentialSet.oidc)
        case .metadata:
            let endpoint = fields["endpoint"].map { metadataEndpoint($0) } ?? .absent
            return endpoint.isInvalid ? nil : .metadata(endpoint: endpoint.value)
        case .process:
            return processSet(fields, of: set).map(CredentialSet.process)
        }
    }

    /// A non-secret string the set cannot do without.
    mutating func required(_ name: String, in fields: Fields, of set: Fields.Field) -> Setting<String> {
        guard let field = fields[name] else {
            report("credential set \"\(set.name)\" needs \"\(name)\"", at: set.keyLocation)
            return .absent
        }
        return nonEmptyString(field)
    }

    /// The one form (`X`, `X_env` or `X_file`) in which secret `X` is given.
    private mutating func secret(_ name: String, in fields: Fields, of set: Fields.Field, required: Bool) -> Setting<SecretSource> {
        let given = ConfigKeys.forms(ofSecret: name).compactMap { fields[$0] }
        guard let field = given.first else {
            if required {
                report("credential set \"\(set.name)\" needs \(Self.alternatives(ConfigKeys.forms(ofSecret: name)))", at: set.keyLocation)
            }
            return .absent
        }
        if given.count > 1 {
            for extra in given.dropFirst() {
                report("\"\(field.name)\" and \"\(extra.name)\" both give \(name); keep exactly one", at: extra.keyLocation)
            }
            return .invalid
        }

        switch field.name {
        case name:
            guard let value = nonEmptyString(field).value else { return .invalid }
            guard fileMode & 0o044 == 0 else {
                let mode = String(fileMode & 0o777, radix: 8)
                report(
                    "\"\(name)\" is a secret written inline in a file that others can read (mode \(mode)); "
                        + "use \(name)_file or \(name)_env, or make the file private (chmod 600)",
                    at: field.keyLocation
                )
                return .invalid
            }
            return .valid(.inline(value), at: field.valueLocation)
        case name + "_env":
            guard let variable = nonEmptyString(field).value else { return .invalid }
            // Never quoted: a secret pasted here by mistake must not reach the message.
            guard Identifiers.isEnvironmentVariable(variable) else {
                report(
                    "\"\(field.name)\" must name an environment variable (letters, digits and _, not starting with a digit)",
                    at: field.valueLocation
                )
                return .invalid
            }
            return .valid(.environment(variable), at: field.valueLocation)
        default:
            return path(field).value.map { .valid(.file($0), at: field.valueLocation) } ?? .invalid
        }
    }
}
