import Foundation
import Testing
import WatchList

@testable import CCE

/// No secret in any fleet call's error, even when the server echoes everything it received.
@Suite struct FleetSecretLeakTests {
    @Test func fleetErrorsNeverHoldASecretWhateverTheServerEchoes() async throws {
        try await TestServer.run(reply: SecretLeakTests.echo) { server in
            let endpoint = try #require(URL(string: server.url()))
            let credentials: [ResolvedCredential] = [
                .accessKey(TestData.accessKeyCredential),
                .accessKey(TestData.temporaryCredential),
                .token(TestData.token),
                .password(PasswordCredential(user: "alice", domain: "acme", password: TestData.password)),
            ]
            var texts: [String] = []
            try await withClient(TestData.client()) { client in
                for credential in credentials {
                    let access = FleetAccess(credentialSet: "default", credential: credential, iamEndpoint: endpoint)
                    func collect(_ error: FleetQueryError) {
                        #expect(error.kind == .authentication)
                        texts.append(error.description)
                        texts.append(String(reflecting: error))
                    }
                    do throws(FleetQueryError) {
                        _ = try await client.listClusters(
                            region: "cn-north-4",
                            projectID: TestData.projectID,
                            endpoint: endpoint,
                            access: access
                        )
                        Issue.record("listClusters succeeded against an echoing server")
                    } catch {
                        collect(error)
                    }
                    do throws(FleetQueryError) {
                        _ = try await client.findProject(named: "cn-north-4", region: "cn-north-4", access: access)
                        Issue.record("findProject succeeded against an echoing server")
                    } catch {
                        collect(error)
                    }
                    do throws(FleetQueryError) {
                        _ = try await client.listProjects(region: "cn-north-4", access: access)
                        Issue.record("listProjects succeeded against an echoing server")
                    } catch {
                        collect(error)
                    }
                }
            }
            #expect(texts.count == 24)
            for text in texts {
                for secret in TestData.secrets {
                    #expect(!text.contains(secret), "\(text)")
                }
            }
        }
    }
}
