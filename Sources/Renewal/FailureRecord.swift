#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What every process that calls the API on this user's behalf (`run`, `sync`, the exec plugin)
/// knows about the failures of its credential sets and clusters: one record, kept in the state
/// directory, so that none of them retries what another was just refused.
///
/// Per credential set, the refusals (HTTP 401): after one (two for a password, whose first may be
/// an expired token) the set pauses for ``pauseDuration``, then one request at a time may probe
/// it, and never more than ``refusalsPerWindow`` refusals go out in any ``window``. Huawei's
/// gateway locks an access key after a few bad signatures, so retrying callers must not each
/// find that out. Per cluster, its backoff and the server's `Retry-After`. A set's records hold
/// the fingerprint of the secrets they were made with: other secrets (a fixed file, another key)
/// start clean, and so does a watch name that stands for another cluster id.
///
/// Pure: the time, the fingerprint and the outcomes are passed in; reading and writing the file
/// under a lock is the caller's.
package struct FailureRecord: Sendable, Hashable, Codable {
    /// One credential set's refusals.
    package struct CredentialSetFailures: Sendable, Hashable, Codable {
        /// The fingerprint of the secrets refused.
        package var fingerprint: String
        /// When its requests were refused, newest last, within the last window and pause.
        package var refusals: [Date] = []
        /// No request of the set before this.
        package var pausedUntil: Date?
        /// When the request probing the set after a pause was sent, until it is answered.
        package var probeSentAt: Date?
    }

    /// One cluster's failures in a row.
    package struct ClusterFailures: Sendable, Hashable, Codable {
        /// The cluster the watch name stood for: a name re-pointed to another cluster starts clean.
        package var clusterID: String
        /// The fingerprint of the credential its failures were made with.
        package var fingerprint: String
        package var consecutiveFailures: Int
        /// No request for the cluster before this.
        package var nextAttempt: Date
        /// The last failure's sentence.
        package var lastError: String
    }

    /// Whether a request may be sent now.
    package enum Permission: Sendable, Hashable {
        case proceed
        /// Not before `until`, for `reason`.
        case wait(until: Date, reason: Reason)
    }

    /// Why a request has to wait.
    package enum Reason: Sendable, Hashable {
        /// The set was refused at `at`.
        case refused(at: Date)
        /// Another request is probing the set, sent at `since`.
        case probing(since: Date)
        /// The cluster failed with `lastError`, `failures` times in a row.
        case backoff(lastError: String, failures: Int)
    }

    package var credentialSets: [String: CredentialSetFailures] = [:]
    package var clusters: [String: ClusterFailures] = [:]

    /// How long a refused set pauses: 15 min, as the service's circuit breaker.
    package static let pauseDuration: Duration = .seconds(15 * 60)
    /// How long a probe is awaited before another request may probe.
    package static let probeTimeout: Duration = .seconds(60)
    /// At most this many refusals of one set in any ``window``, whatever else the record says.
    package static let refusalsPerWindow = 3
    package static let window: Duration = .seconds(60)
    /// The backoff's ceilings; each process waits the lower end (half), so that one that jitters
    /// its own retry is never held back by another's record.
    package static let backoff = Backoff()

    package init() {}

    /// Whether a request of set `credentials` for `cluster` may go at `now`, with the secrets of
    /// `fingerprint`. A ``Permission/proceed`` after a pause books the request as the probe.
    package mutating func permission(credentials: String, cluster: String, clusterID: String, fingerprint: String, at now: Date)
        -> Permission
    {
        forgetOther(credentials: credentials, cluster: cluster, clusterID: clusterID, fingerprint: fingerprint)
        var probe = false
        if let set = credentialSets[credentials] {
            let recent = set.refusals.filter { $0 > now.advanced(by: .zero - Self.window) }
            if recent.count >= Self.refusalsPerWindow {
                return .wait(
                    until: recent[recent.count - Self.refusalsPerWindow].advanced(by: Self.window),
                    reason: .refused(at: set.refusals.last ?? now)
                )
            }
            if let until = set.pausedUntil {
                if until > now { return .wait(until: until, reason: .refused(at: set.refusals.last ?? now)) }
                if let since = set.probeSentAt, since.advanced(by: Self.probeTimeout) > now {
                    return .wait(until: since.advanced(by: Self.probeTimeout), reason: .probing(since: since))
                }
                probe = true
            }
        }
        if let failures = clusters[cluster], failures.nextAttempt > now {
            return .wait(
                until: failures.nextAttempt,
                reason: .backoff(lastError: failures.lastError, failures: failures.consecutiveFailures)
            )
        }
        if probe { credentialSets[credentials]?.probeSentAt = now }
        return .proceed
    }

    /// Records how a request sent at `sentAt` ended at `now`: `nil` for a success, else the
    /// failure's kind and sentence. `password` says the set logs in with a password.
    package mutating func record(
        _ failure: (kind: FailureKind, sentence: String)?,
        credentials: String,
        cluster: String,
        clusterID: String,
        fingerprint: String,
        password: Bool = false,
        sentAt: Date,
        at now: Date
    ) {
        forgetOther(credentials: credentials, cluster: cluster, clusterID: clusterID, fingerprint: fingerprint)
        if credentialSets[credentials]?.probeSentAt == sentAt { credentialSets[credentials]?.probeSentAt = nil }
        guard let failure else {
            credentialSets[credentials] = nil
            clusters[cluster] = nil
            return
        }
        let failures = (clusters[cluster]?.consecutiveFailures ?? 0) + 1
        var wait = failure.kind.retriesSlowly ? Self.backoff.slowDelay : Self.backoff.ceiling(afterFailures: failures)
        wait = wait / 2
        switch failure.kind {
        case .local:
            // Nothing was sent: nothing for another process to learn.
            return
        case .authentication:
            var set = credentialSets[credentials] ?? CredentialSetFailures(fingerprint: fingerprint)
            set.refusals = set.refusals.filter { $0 > now.advanced(by: .zero - Self.pauseDuration - Self.window) } + [now]
            if set.refusals.count >= (password ? 2 : 1) {
                set.pausedUntil = now.advanced(by: Self.pauseDuration)
            }
            credentialSets[credentials] = set
        case .throttled(let retryAfter?):
            wait = retryAfter
        default:
            break
        }
        clusters[cluster] = ClusterFailures(
            clusterID: clusterID,
            fingerprint: fingerprint,
            consecutiveFailures: failures,
            nextAttempt: now.advanced(by: wait),
            lastError: failure.sentence
        )
    }

    /// Forgets the set's and the clusters' failures: `sync --force`.
    package mutating func reset(credentials: Set<String>, clusters names: Set<String>) {
        for name in credentials { credentialSets[name] = nil }
        for name in names { clusters[name] = nil }
    }

    /// Drops what was recorded under other secrets of the set, and for the watch name when it
    /// stood for another cluster or was used with other secrets.
    private mutating func forgetOther(credentials: String, cluster: String, clusterID: String, fingerprint: String) {
        if let set = credentialSets[credentials], set.fingerprint != fingerprint { credentialSets[credentials] = nil }
        if let failures = clusters[cluster], failures.fingerprint != fingerprint || failures.clusterID != clusterID {
            clusters[cluster] = nil
        }
    }
}

extension FailureRecord.Permission {
    /// The refusal in one sentence: what waits, until when, and what to do.
    package func sentence(credentials: String, cluster: String, at now: Date) -> String? {
        guard case .wait(let until, let reason) = self else { return nil }
        let next = "\(until.formatted(.iso8601)) (\(Duration(from: now, to: until).wholeSeconds) s from now)"
        switch reason {
        case .refused(let at):
            return
                "credential set \"\(credentials)\" was refused (HTTP 401) at \(at.formatted(.iso8601)), so no request of it goes before \(next) lest the gateway lock the key; fix the credential (changed secrets are tried at once) or run `cce-kubeconfigd sync --force --cluster \(cluster)`"
        case .probing(let since):
            return
                "credential set \"\(credentials)\" was refused (HTTP 401) and another request has been trying it since \(since.formatted(.iso8601)), so the next goes at \(next) at the earliest; wait for its answer, or fix the credential"
        case .backoff(let lastError, let failures):
            return
                "cluster \"\(cluster)\" failed \(failures == 1 ? "once" : "\(failures) times in a row") (last: \(lastError.trimmingSuffix("."))), so the next request goes at \(next) at the earliest; wait, or run `cce-kubeconfigd sync --force --cluster \(cluster)`"
        }
    }
}

extension Duration {
    /// The span in whole seconds, rounded up.
    fileprivate var wholeSeconds: Int64 {
        components.attoseconds > 0 ? components.seconds + 1 : components.seconds
    }
}

extension String {
    fileprivate func trimmingSuffix(_ suffix: String) -> Substring {
        hasSuffix(suffix) ? dropLast(suffix.count) : Substring(self)
    }
}
