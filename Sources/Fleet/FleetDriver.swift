import WatchList

/// The two lookups resolution needs, as the CCE client answers them.
///
/// A thrown error is a failed answer: its description is reported (so it must hold no secret)
/// and nothing that list could have shown is pruned.
package protocol FleetLister: Sendable {
    /// The projects of `query.region` visible to `query.credentials` and named `query.name`
    /// (a lister may answer more; those not named so are ignored).
    func projects(_ query: ProjectQuery) async throws -> [ProjectSummary]
    /// Every cluster of the query's API in its project, all pages.
    func clusters(_ query: ClusterListQuery) async throws -> [ClusterSummary]
}

/// Resolves a watch list against a ``FleetLister``: the projects the cache does not know, then
/// the cluster lists, each round's calls made concurrently, then ``FleetResolver/resolve(_:cache:answers:)``.
package struct FleetDriver<Lister: FleetLister>: Sendable {
    package let lister: Lister

    package init(lister: Lister) {
        self.lister = lister
    }

    package func resolve(_ config: WatchListConfig, cache: ResolutionCache) async -> FleetResolution {
        var answers = FleetAnswers()
        answers.projects = await answer(FleetResolver.projectQueries(config, cache: cache)) { try await lister.projects($0) }
        answers.clusters = await answer(FleetResolver.clusterQueries(config, cache: cache, projects: answers.projects)) {
            try await lister.clusters($0)
        }
        return FleetResolver.resolve(config, cache: cache, answers: answers)
    }

    private func answer<Query: Hashable & Sendable, Value: Sendable & Hashable>(
        _ queries: [Query],
        _ call: @escaping @Sendable (Query) async throws -> Value
    ) async -> [Query: ListAnswer<Value>] {
        await withTaskGroup(of: (Query, ListAnswer<Value>).self) { group in
            for query in queries {
                group.addTask {
                    do {
                        return (query, .success(try await call(query)))
                    } catch {
                        return (query, .failure(String(describing: error)))
                    }
                }
            }
            var answers: [Query: ListAnswer<Value>] = [:]
            for await (query, answer) in group { answers[query] = answer }
            return answers
        }
    }
}
