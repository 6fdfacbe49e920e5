import Foundation
import Testing
import WatchList
import YAML

/// The credential sets that obtain temporary credentials: agencies (and their chains),
/// OIDC federation, ECS metadata and credential processes.
@Suite struct ExchangedCredentialSetTests {
    private static let base = """
        credentials:
          base:
            type: aksk
            access_key_env: HUAWEICLOUD_SDK_AK
            secret_key_env: HUAWEICLOUD_SDK_SK

        """

    @Test func agencyIsReadWithItsDefaults() throws {
        let config = try TestConfig.parse(
            Self.base + """
                  ops:
                    type: agency
                    source: base
                    agency_name: cce-admin
                    domain_name: acme-prod
                clusters: []
                """
        )
        #expect(config.credentials["ops"] == .agency(AgencySet(source: "base", agencyName: "cce-admin", account: .name("acme-prod"))))
        #expect(AgencySet.defaultDuration == .seconds(3_600))
    }

    @Test func stsAgencyTakesItsDurationSessionAndEndpoint() throws {
        let config = try TestConfig.parse(
            Self.base + """
                  ops:
                    type: agency
                    api: sts
                    source: base
                    agency_name: cce-admin
                    domain_id: 0a1b2c3d4e5f
                    duration: 12h
                    session_user: ci.runner@acme
                    sts_endpoint: https://sts.ap-southeast-1.myhuaweicloud.com
                clusters: []
                """
        )
        #expect(
            config.credentials["ops"]
                == .agency(
                    AgencySet(
                        source: "base",
                        agencyName: "cce-admin",
                        account: .id("0a1b2c3d4e5f"),
                        duration: .seconds(43_200),
                        sessionUser: "ci.runner@acme",
                        api: .sts,
                        endpoint: URL(string: "https://sts.ap-southeast-1.myhuaweicloud.com")
                    )
                )
        )
    }

    @Test func agencyChainAcrossSetsIsAccepted() throws {
        let config = try TestConfig.parse(
            Self.base + """
                  hub:
                    type: agency
                    source: base
                    agency_name: hub-admin
                    domain_name: acme-hub
                  spoke:
                    type: agency
                    source: hub
                    agency_name: spoke-admin
                    domain_name: acme-spoke
                clusters: []
                """
        )
        #expect(config.credentials.count == 3)
    }

    @Test func loopOfAgenciesIsReportedOnceAtTheSourceOfItsFirstSet() {
        let problems = TestConfig.problems(
            Self.base + """
                  a:
                    type: agency
                    source: c
                    agency_name: x
                    domain_name: acct-a
                  b:
                    type: agency
                    source: a
                    agency_name: y
                    domain_name: acct-b
                  c:
                    type: agency
                    source: b
                    agency_name: z
                    domain_name: acct-c
                clusters: []
                """
        )
        #expect(
            problems == [
                ConfigProblem(
                    "credential sets \"a\" → \"c\" → \"b\" → \"a\" form a loop of agencies: each takes its source from the next, so none can be assumed; end the chain at a set of another type",
                    at: .at(8, 13)
                )
            ]
        )
    }

    @Test func agencyThatIsItsOwnSourceIsALoop() {
        let problems = TestConfig.problems(
            """
            credentials:
              self:
                type: agency
                source: self
                agency_name: x
                domain_name: acct
            clusters: []
            """
        )
        #expect(problems.map(\.location) == [.at(4, 13)])
        #expect(problems.first?.message.hasPrefix("credential sets \"self\" → \"self\" form a loop of agencies") == true)
    }

    @Test func unknownSourceIsReportedAtItsValue() {
        let problems = TestConfig.problems(
            Self.base + """
                  ops:
                    type: agency
                    source: bsae
                    agency_name: x
                    domain_name: acct
                clusters: []
                """
        )
        #expect(
            problems == [
                ConfigProblem(
                    "credential set \"ops\" takes its source from \"bsae\", which is not a set under credentials: (sets: base, ops)",
                    at: .at(8, 13)
                )
            ]
        )
    }

    @Test func stsNeedsTheAccountByID() {
        let problems = TestConfig.problems(
            Self.base + """
                  ops:
                    type: agency
                    api: sts
                    source: base
                    agency_name: x
                    domain_name: acct
                clusters: []
                """
        )
        #expect(problems.map(\.location) == [.at(11, 5)])
        #expect(problems.first?.message.contains("give \"domain_id\"") == true)
    }

    @Test func stsChainedFromAnAgencyIsCappedAtAnHour() {
        let problems = TestConfig.problems(
            Self.base + """
                  hub:
                    type: agency
                    source: base
                    agency_name: hub
                    domain_name: acct
                  spoke:
                    type: agency
                    api: sts
                    source: hub
                    agency_name: spoke
                    domain_id: 0a1b2c
                    duration: 2h
                clusters: []
                """
        )
        #expect(
            problems == [
                ConfigProblem(
                    "credential set \"spoke\" assumes its agency with the temporary keys of \"hub\", for which STS grants at most 1h; make \"duration\" 1h or less",
                    at: .at(17, 15)
                )
            ]
        )
    }

    /// The problems of an agency `ops` using `api`, with one more `key: value` line (line 12).
    private func problemsOfAgency(api: String, adding line: String) -> [ConfigProblem] {
        TestConfig.problems(
            Self.base + """
                  ops:
                    type: agency
                    api: \(api)
                    source: base
                    agency_name: x
                    domain_id: acct
                    \(line)
                clusters: []
                """
        )
    }

    @Test(arguments: [("iam", "25h"), ("iam", "10m"), ("sts", "13h")])
    func durationOutsideTheAPIsRangeIsReported(api: String, duration: String) {
        #expect(problemsOfAgency(api: api, adding: "duration: \(duration)").map(\.location) == [.at(12, 15)])
    }

    @Test(arguments: [("iam", "ab"), ("iam", "1alice"), ("sts", "a"), ("sts", "alice smith")])
    func sessionUserOutsideTheAPIsRuleIsReported(api: String, user: String) {
        #expect(problemsOfAgency(api: api, adding: "session_user: \"\(user)\"").map(\.location) == [.at(12, 19)])
    }

    @Test func agencyWithoutAccountIsReported() {
        let problems = TestConfig.problems(
            Self.base + """
                  ops:
                    type: agency
                    source: base
                    agency_name: x
                clusters: []
                """
        )
        #expect(
            problems == [
                ConfigProblem(
                    "credential set \"ops\" needs \"domain_name\" or \"domain_id\": the account that owns the agency",
                    at: .at(6, 3)
                )
            ]
        )
    }

    @Test func processCommandIsAnArgvList() throws {
        let config = try TestConfig.parse(
            """
            credentials:
              sso:
                type: process
                command: [~/bin/sso-helper, --profile, "prod account"]
                timeout: 45s
            clusters: []
            """
        )
        #expect(
            config.credentials["sso"]
                == .process(ProcessSet(command: ["/home/alice/bin/sso-helper", "--profile", "prod account"], timeout: .seconds(45)))
        )
    }

    @Test func processProgramWithoutSlashIsLookedUpInPath() throws {
        let config = try TestConfig.parse(
            """
            credentials:
              sso: {type: process, command: [sso-helper]}
            clusters: []
            """
        )
        #expect(config.credentials["sso"] == .process(ProcessSet(command: ["sso-helper"], timeout: .seconds(30))))
    }

    @Test(arguments: ["command: sso-helper --profile prod", "command: []", "timeout: 30s"])
    func processWithoutAnArgvListIsReported(line: String) {
        let problems = TestConfig.problems(
            """
            credentials:
              sso:
                type: process
                \(line)
            clusters: []
            """
        )
        #expect(problems.count == 1)
        #expect(problems.first?.message.contains("command") == true)
    }

    @Test func metadataEndpointMayOnlyBeLoopback() throws {
        let config = try TestConfig.parse(
            """
            credentials:
              ecs: {type: metadata, endpoint: "http://127.0.0.1:8080"}
              bastion: {type: metadata}
            clusters: []
            """
        )
        #expect(config.credentials["ecs"] == .metadata(endpoint: URL(string: "http://127.0.0.1:8080")))
        #expect(config.credentials["bastion"] == .metadata(endpoint: nil))
        let problems = TestConfig.problems(
            """
            credentials:
              ecs: {type: metadata, endpoint: "http://169.254.169.254"}
            clusters: []
            """
        )
        #expect(problems.map(\.location) == [.at(2, 35)])
    }

    @Test func oidcNeedsItsTokenFileAndAScope() throws {
        let config = try TestConfig.parse(
            """
            credentials:
              ci:
                type: oidc
                idp_id: github-actions
                id_token_file: /var/run/secrets/id-token
                project_id: \(TestConfig.projectID)
            clusters: []
            """
        )
        #expect(
            config.credentials["ci"]
                == .oidc(
                    OIDCSet(idpID: "github-actions", idTokenFile: "/var/run/secrets/id-token", scope: .project(id: TestConfig.projectID))
                )
        )
        let problems = TestConfig.problems(
            """
            credentials:
              ci:
                type: oidc
                idp_id: github-actions
            clusters: []
            """
        )
        #expect(problems.count == 2)
    }

    @Test func keysOfAnotherTypeAreNamedAsSuch() {
        let problems = TestConfig.problems(
            """
            credentials:
              sso:
                type: process
                command: [helper]
                agency_name: x
            clusters: []
            """
        )
        #expect(
            problems == [
                ConfigProblem(
                    "unknown key \"agency_name\" in credential set \"sso\"; a credential set of type process does not use it",
                    at: .at(5, 5)
                )
            ]
        )
    }
}
