#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `type: agency`: temporary keys of an IAM agency (a role in this or another account), assumed
/// with the credentials of another set.
package struct AgencySet: Sendable, Hashable, CustomStringConvertible {
    /// Which IAM API assumes the agency.
    package enum API: String, Sendable, Hashable, CaseIterable {
        /// Legacy IAM, `POST /v3.0/OS-CREDENTIAL/securitytokens` with `assume_role`, authenticated
        /// with a token of the source (or a signature of its keys).
        case iam
        /// New IAM's STS `AssumeAgency`, signed with the source's access keys.
        case sts
    }

    /// The account that owns the agency.
    package enum Account: Sendable, Hashable, CustomStringConvertible {
        case name(String)
        case id(String)

        package var description: String {
            switch self {
            case .name(let name): "\"\(name)\""
            case .id(let id): "with id \(id)"
            }
        }
    }

    /// The shortest and longest sessions each API grants, and the longest STS grants to a caller
    /// that itself uses temporary keys (a chain of agencies).
    package static let iamDurations: ClosedRange<Duration> = .seconds(900) ... .seconds(86_400)
    package static let stsDurations: ClosedRange<Duration> = .seconds(900) ... .seconds(43_200)
    package static let longestChainedSTSDuration: Duration = .seconds(3_600)
    /// Valid for both APIs and for chains: an hour of renewals every 54 minutes.
    package static let defaultDuration: Duration = .seconds(3_600)
    /// STS needs a session name; IAM's `session_user` is optional.
    package static let defaultSessionName = "cce-kubeconfigd"

    /// The name of the credential set whose identity assumes the agency.
    package var source: String
    package var agencyName: String
    package var account: Account
    package var duration: Duration
    package var sessionUser: String?
    package var api: API
    /// The IAM (`api: iam`) or STS (`api: sts`) endpoint; `nil` for the default.
    package var endpoint: URL?
    /// A PEM bundle trusted for `endpoint` in addition to the system roots.
    package var caFile: String?

    package init(
        source: String,
        agencyName: String,
        account: Account,
        duration: Duration = AgencySet.defaultDuration,
        sessionUser: String? = nil,
        api: API = .iam,
        endpoint: URL? = nil,
        caFile: String? = nil
    ) {
        self.source = source
        self.agencyName = agencyName
        self.account = account
        self.duration = duration
        self.sessionUser = sessionUser
        self.api = api
        self.endpoint = endpoint
        self.caFile = caFile
    }

    /// `agency "ops" of account "acme"`: how messages name what is assumed.
    package var agencyDescription: String {
        "agency \"\(agencyName)\" of account \(account)"
    }

    package var description: String {
        let endpoint = endpoint.map { " at \($0.absoluteString)" } ?? ""
        return
            "agency(\(agencyDescription) through \(api.rawValue)\(endpoint), source: \(source), duration: \(duration.components.seconds)s)"
    }
}

/// `type: oidc`: an OIDC id token (a CI job's, a workload's) exchanged with IAM for a federated
/// token, then for temporary keys.
package struct OIDCSet: Sendable, Hashable, CustomStringConvertible {
    /// What the federated token is scoped to, as Huawei's SDKs choose it: the project of the
    /// `[basic]` credentials, or the account of `[global]` ones.
    package enum Scope: Sendable, Hashable {
        case project(id: String)
        case domain(id: String)
    }

    /// The identity provider's id in IAM, sent as `X-Idp-Id`.
    package var idpID: String
    /// Read anew at every exchange: CI systems rotate the token in place.
    package var idTokenFile: String
    package var scope: Scope
    /// `nil` for the default IAM endpoint.
    package var iamEndpoint: URL?
    package var caFile: String?

    package init(idpID: String, idTokenFile: String, scope: Scope, iamEndpoint: URL? = nil, caFile: String? = nil) {
        self.idpID = idpID
        self.idTokenFile = idTokenFile
        self.scope = scope
        self.iamEndpoint = iamEndpoint
        self.caFile = caFile
    }

    package var description: String {
        let endpoint = iamEndpoint.map { " at \($0.absoluteString)" } ?? ""
        return "oidc(identity provider \(idpID), id token file \(idTokenFile)\(endpoint))"
    }
}

/// `type: process`: a command that prints temporary keys or a token as JSON, like aws's
/// `credential_process`.
package struct ProcessSet: Sendable, Hashable, CustomStringConvertible {
    package static let defaultTimeout: Duration = .seconds(30)
    package static let timeouts: ClosedRange<Duration> = .seconds(1) ... .seconds(600)

    /// The program and its arguments, run without a shell; a program without `/` is looked up in `PATH`.
    package var command: [String]
    package var timeout: Duration

    package init(command: [String], timeout: Duration = ProcessSet.defaultTimeout) {
        self.command = command
        self.timeout = timeout
    }

    /// The program alone: arguments may hold anything, even a secret, so messages never show them.
    package var program: String {
        command.first ?? ""
    }

    package var description: String {
        "process(\(program), \(command.count - 1) arguments, timeout \(timeout.components.seconds)s)"
    }
}
