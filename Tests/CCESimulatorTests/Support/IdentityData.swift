import CCESigning
import CCESimulator
import Foundation
import Testing

/// Three accounts for the agency, OpenID Connect and metadata tests: `ops-account`, where the
/// operator and the CI identity live; `prod-account` and `stage-account`, each with a project and
/// a cluster, reached through agencies (`ops` → `prod` → `stage` is a chain).
enum IdentityData {
    static let opsAccount = "ops-account"
    static let prodAccount = "prod-account"
    static let stageAccount = "stage-account"

    static let opsProject = "0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a"
    static let prodProject = "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"
    static let stageProject = "0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c"
    static let opsCluster = "6a000000-0000-4000-8000-000000000001"
    static let prodCluster = "6b000000-0000-4000-8000-000000000001"
    static let stageCluster = "6c000000-0000-4000-8000-000000000001"

    /// The operator: Agent Operator role, password login and a permanent key.
    static let operatorName = "operator"
    static let operatorPassword = "pw-operator-0101-do-not-print"
    static let operatorAccessKey = "AKOPERATOR0000000001"
    static let operatorSecretKey = "SKoperator-secret-0102-do-not-print"
    /// A user of the same account without the role.
    static let viewerName = "viewer"
    static let viewerAccessKey = "AKVIEWER000000000002"
    static let viewerSecretKey = "SKviewer-secret-0103-do-not-print"

    /// `cce-admin` in prod trusts ops and may chain; `cce-admin` in stage trusts prod;
    /// `locked` in prod trusts another account; `ecs-agency` in prod is the metadata service's.
    static let agencyName = "cce-admin"
    static let lockedAgency = "locked"
    static let ecsAgency = "ecs-agency"

    static let identityProviderID = "ci-provider"
    static let issuer = "https://ci.example.test"
    static let clientID = "cce-kubeconfigd"

    static func configuration(signer: IDTokenSigner = IDTokenSigner(), metadataKeyLifetime: Duration = .seconds(900))
        -> SimulatorConfiguration
    {
        var configuration = SimulatorConfiguration(
            accessKeys: [operatorAccessKey: operatorSecretKey, viewerAccessKey: viewerSecretKey],
            users: [
                IAMUser(domain: opsAccount, name: operatorName, password: operatorPassword, mayAssumeAgencies: true),
                IAMUser(domain: opsAccount, name: viewerName, password: operatorPassword),
            ],
            projectNames: [opsProject: "cn-north-4", prodProject: "cn-north-4", stageProject: "cn-north-4"],
            clusters: [
                SimulatedCluster(projectID: opsProject, clusterID: opsCluster, name: "ops-tools"),
                SimulatedCluster(projectID: prodProject, clusterID: prodCluster, name: "prod-web"),
                SimulatedCluster(projectID: stageProject, clusterID: stageCluster, name: "stage-web", category: .turbo),
            ]
        )
        configuration.accessKeyOwners = [
            operatorAccessKey: AccessKeyOwner(account: opsAccount, mayAssumeAgencies: true),
            viewerAccessKey: AccessKeyOwner(account: opsAccount),
        ]
        configuration.projectAccounts = [opsProject: opsAccount, prodProject: prodAccount, stageProject: stageAccount]
        configuration.agencies = [
            Agency(
                account: prodAccount,
                name: agencyName,
                trustedAccount: opsAccount,
                maximumSession: .seconds(43_200),
                mayAssumeAgencies: true
            ),
            Agency(account: stageAccount, name: agencyName, trustedAccount: prodAccount),
            Agency(account: prodAccount, name: lockedAgency, trustedAccount: "another-account"),
            Agency(account: prodAccount, name: ecsAgency, trustedAccount: "op_svc_ecs"),
        ]
        configuration.identityProviders = [
            IdentityProvider(
                id: identityProviderID,
                account: opsAccount,
                issuer: issuer,
                clientID: clientID,
                publicKeyPEM: signer.publicKeyPEM,
                mayAssumeAgencies: true
            )
        ]
        configuration.metadata = MetadataService(agencyAccount: prodAccount, agencyName: ecsAgency, keyLifetime: metadataKeyLifetime)
        return configuration
    }

    static let operatorKey = AccessKeyCredential(accessKey: operatorAccessKey, secretKey: operatorSecretKey)

    /// The `agency_urn` of an agency.
    static func urn(_ name: String, of account: String) -> String {
        "iam::\(SimulatorConfiguration.accountID(of: account)):agency:\(name)"
    }

    /// An `assume_role` body.
    static func assumeRoleBody(agency: String = agencyName, domainName: String = prodAccount, duration: Int? = 900) -> String {
        let seconds = duration.map { #","duration_seconds":\#($0)"# } ?? ""
        return
            #"{"auth":{"identity":{"methods":["assume_role"],"assume_role":{"agency_name":"\#(agency)","domain_name":"\#(domainName)"\#(seconds)}}}}"#
    }

    /// An `AssumeAgency` body.
    static func assumeAgencyBody(urn: String = urn(agencyName, of: prodAccount), session: String = "kubeconfigd", duration: Int? = 3600)
        -> String
    {
        let seconds = duration.map { #","duration_seconds":\#($0)"# } ?? ""
        return #"{"agency_urn":"\#(urn)","agency_session_name":"\#(session)"\#(seconds)}"#
    }
}

extension SimulatorHarness {
    /// Logs in a user of `ops-account` with a password, scoped to its project.
    func operatorToken(_ user: String = IdentityData.operatorName) async throws -> String {
        let body = """
            {"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"\(user)","password":"\(IdentityData.operatorPassword)",\
            "domain":{"name":"\(IdentityData.opsAccount)"}}}},"scope":{"project":{"id":"\(IdentityData.opsProject)"}}}}
            """
        let answer = try await post(simulator.iamEndpoint, "/v3/auth/tokens", body: body)
        #expect(answer.status == .created, "\(answer.text)")
        return try #require(answer.headers.first(name: "X-Subject-Token"))
    }

    /// Calls `assume_role` with a token.
    func assumeRole(token: String, body: String = IdentityData.assumeRoleBody()) async throws -> Answer {
        try await post(simulator.iamEndpoint, "/v3.0/OS-CREDENTIAL/securitytokens", body: body, headers: [("X-Auth-Token", token)])
    }

    /// Calls STS `AssumeAgency` signed with `credential` as of `date`.
    func assumeAgency(_ credential: AccessKeyCredential, body: String = IdentityData.assumeAgencyBody(), date: Date = Date()) async throws
        -> Answer
    {
        try await signedPost(simulator.stsEndpoint, "/v5/agencies/assume", body: body, credential: credential, date: date)
    }

    /// Expects `keys` to get prod's certificate until `seconds` have passed on `clock`, and a
    /// 401 `signature expired` from then on.
    func expectProdKeys(_ keys: AccessKeyCredential, toExpireAfter seconds: TimeInterval, on clock: TestClock) async throws {
        clock.advance(by: seconds - 1)
        #expect(
            try await certificate(IdentityData.prodCluster, project: IdentityData.prodProject, credential: keys, date: clock.now).status
                == .ok
        )
        clock.advance(by: 1)
        try await certificate(IdentityData.prodCluster, project: IdentityData.prodProject, credential: keys, date: clock.now)
            .expectGatewayError(.unauthorized, "APIGW.0301", containing: "signature expired")
    }

    /// A certificate call for `clusterID` in `project`, signed with `credential` (its project set to `project`).
    func certificate(_ clusterID: String, project: String, credential: AccessKeyCredential, date: Date = Date()) async throws -> Answer {
        var scoped = credential
        scoped.projectID = project
        return try await signed(SimulatorHarness.certPath(clusterID, project: project), credential: scoped, date: date)
    }
}

extension Answer {
    /// The temporary key of an IAM `credential` answer (`securitytokens`, metadata).
    func iamCredential() throws -> AccessKeyCredential {
        let credential = try #require(try json()["credential"] as? [String: any Sendable], "no credential in the answer")
        return AccessKeyCredential(
            accessKey: try #require(credential["access"] as? String),
            secretKey: try #require(credential["secret"] as? String),
            securityToken: try #require(credential["securitytoken"] as? String)
        )
    }

    /// The temporary key of an STS `credentials` answer.
    func stsCredential() throws -> AccessKeyCredential {
        let credentials = try #require(try json()["credentials"] as? [String: any Sendable], "no credentials in the answer")
        return AccessKeyCredential(
            accessKey: try #require(credentials["access_key_id"] as? String),
            secretKey: try #require(credentials["secret_access_key"] as? String),
            securityToken: try #require(credentials["security_token"] as? String)
        )
    }
}

extension IDTokenSigner {
    /// An id token of the CI provider for `subject`, valid from `now` for `lifetime` seconds.
    func idToken(
        now: Date = Date(),
        lifetime: TimeInterval = 600,
        issuer: String = IdentityData.issuer,
        audience: String = IdentityData.clientID,
        subject: String = "repo:infra/deploy:ref:refs/heads/main"
    ) -> String {
        sign(issuer: issuer, audience: audience, subject: subject, issuedAt: now, expiresAt: now + lifetime)
    }
}

extension SimulatorHarness {
    /// IAM's OpenID Connect login with `X-Idp-Id` (left out when `nil`), scoped to the ops project.
    func idTokenLogin(
        _ idToken: String,
        provider: String? = IdentityData.identityProviderID,
        scope: String = #"{"project":{"id":"\#(IdentityData.opsProject)"}}"#
    ) async throws -> Answer {
        let body = #"{"auth":{"id_token":{"id":"\#(idToken)"},"scope":\#(scope)}}"#
        return try await post(
            simulator.iamEndpoint,
            "/v3.0/OS-AUTH/id-token/tokens",
            body: body,
            headers: provider.map { [("X-Idp-Id", $0)] } ?? []
        )
    }

    /// Temporary keys for a token, as Huawei's SDKs get them after a federated login.
    func keys(forToken token: String, duration: Int = 900) async throws -> Answer {
        let body = #"{"auth":{"identity":{"methods":["token"],"token":{"duration_seconds":\#(duration)}}}}"#
        return try await post(simulator.iamEndpoint, "/v3.0/OS-CREDENTIAL/securitytokens", body: body, headers: [("X-Auth-Token", token)])
    }
}
