import CCESimulator
import Foundation

/// The ids and secrets every test uses. The secrets are distinctive, so that a test can look for
/// them in anything the simulator prints.
enum TestData {
    static let project = "0123456789abcdef0123456789abcdef"
    static let otherProject = "fedcba9876543210fedcba9876543210"

    /// `external_endpoint: true`, lifetime as requested.
    static let externalCluster = "4e7a9f1c-0000-11ee-8f3a-0255ac100b03"
    /// Internal endpoint only.
    static let internalCluster = "4e7a9f1c-0000-11ee-8f3a-0255ac100b04"
    /// An Autopilot cluster.
    static let autopilotCluster = "4e7a9f1c-0000-11ee-8f3a-0255ac100b05"
    /// Certificates live 120 seconds whatever is asked.
    static let shortLivedCluster = "4e7a9f1c-0000-11ee-8f3a-0255ac100b06"
    /// In ``otherProject``.
    static let otherProjectCluster = "4e7a9f1c-0000-11ee-8f3a-0255ac100b07"

    static let accessKey = "AKSIMULATORTEST00001"
    static let secretKey = "SKsimulator-secret-0001-do-not-print"
    static let temporaryAccessKey = "AKSIMULATORTEMP00002"
    static let temporarySecretKey = "SKsimulator-temporary-secret-0002"
    static let securityToken = "STsimulator-security-token-0003"
    static let expiredAccessKey = "AKSIMULATOREXPIRED03"
    static let expiredSecretKey = "SKsimulator-expired-secret-0004"
    static let expiredSecurityToken = "STsimulator-expired-token-0005"

    static let domain = "simulated-account"
    static let user = "alice"
    static let password = "pw-simulator-0006-do-not-print"
    static let shortTokenUser = "bob"

    static let staticToken = "MIIstatic-token-0007-do-not-print"
    static let expiredStaticToken = "MIIexpired-static-token-0008"
    static let otherProjectToken = "MIIother-project-token-0009"

    /// Every secret above, for scans of output.
    static let secrets = [
        secretKey, temporarySecretKey, securityToken, expiredSecretKey, expiredSecurityToken, password, staticToken,
        expiredStaticToken, otherProjectToken,
    ]

    static var configuration: SimulatorConfiguration {
        SimulatorConfiguration(
            accessKeys: [accessKey: secretKey],
            temporaryAccessKeys: [
                temporaryAccessKey: TemporaryAccessKey(secretKey: temporarySecretKey, securityToken: securityToken),
                expiredAccessKey: TemporaryAccessKey(
                    secretKey: expiredSecretKey,
                    securityToken: expiredSecurityToken,
                    expiresAt: Date(timeIntervalSinceNow: -60)
                ),
            ],
            users: [
                IAMUser(domain: domain, name: user, password: password),
                IAMUser(domain: domain, name: shortTokenUser, password: password, tokenLifetime: .seconds(1)),
            ],
            staticTokens: [
                StaticToken(token: staticToken),
                StaticToken(token: expiredStaticToken, expiresAt: Date(timeIntervalSinceNow: -60)),
                StaticToken(token: otherProjectToken, projectID: otherProject),
            ],
            projectNames: [project: "cn-north-4", otherProject: "ap-southeast-1"],
            clusters: [
                SimulatedCluster(projectID: project, clusterID: externalCluster, hasExternalEndpoint: true),
                SimulatedCluster(projectID: project, clusterID: internalCluster),
                SimulatedCluster(projectID: project, clusterID: autopilotCluster, type: .autopilot),
                SimulatedCluster(projectID: project, clusterID: shortLivedCluster, certificateLifetime: .seconds(120)),
                SimulatedCluster(projectID: otherProject, clusterID: otherProjectCluster),
            ]
        )
    }
}
