import CCESigning
import Foundation
import Testing
import WatchList

@testable import CCE

/// Exchanged sets resolve to the exchange that obtains their credentials: an agency with its
/// source resolved down the chain, and the endpoints from the set, the SDK's variables or the defaults.
@Suite struct ExchangedCredentialResolverTests {
    private let base = CredentialSet.aksk(accessKey: .environment("MY_AK"), secretKey: .environment("MY_SK"), securityToken: nil)
    private let environment = ["MY_AK": TestData.accessKey, "MY_SK": TestData.secretKey]

    private func agency(source: String, name: String, api: AgencySet.API = .iam) -> AgencySet {
        AgencySet(source: source, agencyName: name, account: .id("acct-\(name)"), api: api)
    }

    @Test func agencyChainResolvesItsSourcesDownToTheKeys() throws {
        let hub = agency(source: "base", name: "hub")
        let spoke = agency(source: "hub", name: "spoke")
        let sets: [String: CredentialSet] = ["base": base, "hub": .agency(hub), "spoke": .agency(spoke)]
        let resolution = try FakeFiles().resolver(environment: environment).resolve(.agency(spoke), named: "spoke", in: sets)
        let iam = CredentialResolver.defaultIAMEndpoint
        let inner = CredentialExchange.agency(hub, endpoint: iam, sourceSet: "base", source: .accessKey(TestData.accessKeyCredential))
        #expect(resolution.credential == .exchanged(.agency(spoke, endpoint: iam, sourceSet: "hub", source: .exchanged(inner))))
        #expect(resolution.origin == #"credential set "hub" through agency "spoke" of account with id acct-spoke"#)
    }

    @Test func endpointsComeFromTheSDKVariablesWhenTheSetNamesNone() throws {
        let sts = agency(source: "base", name: "ops", api: .sts)
        let resolver = FakeFiles().resolver(
            environment: environment.merging(["HUAWEICLOUD_SDK_STS_ENDPOINT": "https://127.0.0.1:8443"]) { $1 }
        )
        let resolution = try resolver.resolve(.agency(sts), named: "ops", in: ["base": base])
        guard case .exchanged(.agency(_, let endpoint, _, _)) = resolution.credential else {
            Issue.record("not an agency: \(resolution.credential)")
            return
        }
        #expect(endpoint == URL(string: "https://127.0.0.1:8443"))
        #expect(CredentialResolver.defaultSTSEndpoint.absoluteString == "https://sts.cn-north-4.myhuaweicloud.com")
    }

    @Test func sourceThatFailsIsNamedInTheAgencysError() {
        let set = CredentialSet.agency(agency(source: "base", name: "ops"))
        #expect(
            throws: CredentialError(
                credentialSet: "ops",
                problem: .sourceFailed(CredentialError(credentialSet: "base", problem: .missingVariable("MY_AK")))
            )
        ) {
            try FakeFiles().resolver().resolve(set, named: "ops", in: ["base": base])
        }
        let error = CredentialError(
            credentialSet: "ops",
            problem: .sourceFailed(CredentialError(credentialSet: "base", problem: .missingVariable("MY_AK")))
        )
        #expect(
            error.description
                == #"credential set "ops": its source failed: credential set "base": the environment variable MY_AK is not set or empty"#
        )
    }

    @Test func loopIsRefusedEvenWhenTheConfigCheckWasBypassed() {
        let sets: [String: CredentialSet] = ["a": .agency(agency(source: "b", name: "a")), "b": .agency(agency(source: "a", name: "b"))]
        #expect(
            throws: CredentialError(
                credentialSet: "a",
                problem: .sourceFailed(CredentialError(credentialSet: "b", problem: .agencyLoop(["a", "b", "a"])))
            )
        ) {
            try FakeFiles().resolver().resolve(sets["a"]!, named: "a", in: sets)
        }
    }

    @Test func processAndMetadataResolveToTheirExchanges() throws {
        let resolver = FakeFiles().resolver()
        let process = ProcessSet(command: ["/usr/bin/sso"])
        #expect(try resolver.resolve(.process(process), named: "sso").credential == .exchanged(.process(process)))
        #expect(
            try resolver.resolve(.metadata(endpoint: nil), named: "ecs").credential
                == .exchanged(.metadata(endpoint: MetadataService.endpoint))
        )
    }

    @Test func exchangeDescriptionsHoldNoSecret() throws {
        let resolution = try FakeFiles().resolver(environment: environment).resolve(
            .agency(agency(source: "base", name: "ops")),
            named: "ops",
            in: ["base": base]
        )
        for text in ["\(resolution.credential)", String(reflecting: resolution.credential)] {
            #expect(!text.contains(TestData.secretKey))
            #expect(!text.contains(TestData.accessKey))
        }
    }
}
