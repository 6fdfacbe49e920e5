import Kubeconfig
import RefreshCore
import Renewal
import WatchList

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A cluster's fetch as every process makes it: asks the shared ``FailureRecordFile`` first, and
/// adds the outcome to it. A request the record holds back is not sent; its failure
/// (``FailureKind/local``) says in one sentence until when, and what to do.
///
/// Without a record (no state directory) it fetches as ``ClusterFetcher`` does. A record that
/// cannot be used is reported through `problem` and then left out: the caution it adds must not
/// stop renewals.
package struct FailureRecordGate: Sendable {
    package var fetcher: ClusterFetcher
    package var record: FailureRecordFile?
    /// Told of a record that cannot be locked, read or written, in one sentence.
    package var problem: @Sendable (String) -> Void
    package var clock: @Sendable () -> Date

    package init(
        fetcher: ClusterFetcher,
        record: FailureRecordFile?,
        problem: @escaping @Sendable (String) -> Void = { _ in },
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.fetcher = fetcher
        self.record = record
        self.problem = problem
        self.clock = clock
    }

    package func fetch(_ cluster: WatchedCluster, in config: WatchListConfig) async -> Result<ManagedCluster, FetchFailure> {
        guard let record, let set = config.credentials[cluster.credentials],
            let fingerprint = fetcher.resolvedFingerprint(set, named: cluster.credentials)
        else {
            return await fetcher.fetch(cluster, in: config)
        }
        let sentAt = clock()
        do {
            let permission = try record.update {
                $0.permission(
                    credentials: cluster.credentials,
                    cluster: cluster.name,
                    clusterID: cluster.clusterID,
                    fingerprint: fingerprint,
                    at: sentAt
                )
            }
            if let sentence = permission.sentence(credentials: cluster.credentials, cluster: cluster.name, at: sentAt) {
                return .failure(FetchFailure(sentence, kind: .local))
            }
        } catch {
            problem(error.description)
        }
        let result = await fetcher.fetch(cluster, in: config)
        let failure: (kind: FailureKind, sentence: String)? =
            switch result {
            case .success: nil
            case .failure(let failure): (failure.kind, failure.sentence)
            }
        var password = false
        if case .password = set { password = true }
        do {
            try record.update {
                $0.record(
                    failure,
                    credentials: cluster.credentials,
                    cluster: cluster.name,
                    clusterID: cluster.clusterID,
                    fingerprint: fingerprint,
                    password: password,
                    sentAt: sentAt,
                    at: clock()
                )
            }
        } catch {
            problem(error.description)
        }
        return result
    }

    /// Forgets the backoff the record holds for `clusters`, not their sets' refusals: an explicit
    /// renewal (SIGUSR1) goes now, but never with a refused key before its pause is over.
    package func forgetBackoff(of clusters: [WatchedCluster]) throws(FailureRecordFileError) {
        try record?.update { $0.reset(credentials: [], clusters: Set(clusters.map(\.name))) }
    }

    /// Forgets what the record holds against `clusters` and their credential sets (`sync --force`).
    package func reset(_ clusters: [WatchedCluster]) throws(FailureRecordFileError) {
        try record?.update { $0.reset(credentials: Set(clusters.map(\.credentials)), clusters: Set(clusters.map(\.name))) }
    }
}
