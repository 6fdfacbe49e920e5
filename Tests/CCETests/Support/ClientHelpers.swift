import Kubeconfig
import Testing
import WatchList

@testable import CCE

/// Runs `body` with `client` and shuts the client down whatever happens.
func withClient<Result>(_ client: CCEClient, _ body: (CCEClient) async throws -> Result) async throws -> Result {
    do {
        let result = try await body(client)
        await client.shutdown()
        return result
    } catch {
        await client.shutdown()
        throw error
    }
}

extension CCEClient {
    /// The error of a fetch that must fail; records an issue and returns `nil` if it succeeds.
    func fetchError(
        _ cluster: WatchedCluster,
        _ credential: ResolvedCredential = .accessKey(TestData.accessKeyCredential),
        sourceLocation: SourceLocation = #_sourceLocation
    ) async -> CCEError? {
        do {
            let credentials = try await clusterCertificate(for: cluster, named: "default", using: credential)
            Issue.record("expected an error, got \(credentials)", sourceLocation: sourceLocation)
            return nil
        } catch {
            return error
        }
    }
}
