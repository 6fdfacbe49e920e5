#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Keeps clusters from hammering the API with a refused credential, one per credential set.
///
/// Huawei Cloud's API gateway locks an access key after 5 bad signatures, so a 401 must not be
/// retried by every cluster on its own backoff. For a password credential a 401 may only mean
/// that the IAM token expired or was revoked, so one fresh login comes first; after that (and at
/// once for access keys and ready tokens) the circuit opens: no cluster using the set tries for
/// 15 min. When the pause is over a single request probes the credential while the
/// others keep waiting; its success closes the circuit, its 401 opens it again.
///
/// A pure state machine in the manner of async-http-client's `HTTPConnectionPool.StateMachine`:
/// events and the time go in, ``Action`` and ``Permission`` values come out, the IO is the
/// caller's.
package struct CredentialCircuitBreaker: Sendable, Hashable {
    /// How the credential set authenticates, as far as a 401 goes.
    package enum Credential: Sendable, Hashable {
        /// An IAM user's password, exchanged for tokens: a fresh login may cure a 401.
        case password
        /// An access key pair, signing each request (`sdk` credentials resolve to one).
        case accessKey
        /// A ready IAM token, which nothing here can renew.
        case token
    }

    package enum State: Sendable, Hashable {
        /// The credential works, or nothing says otherwise.
        case closed
        /// A password credential got a 401; its token was dropped at `since`. A 401 to a
        /// request sent since then opens the circuit.
        case awaitingFreshLogin(since: Date)
        /// Refused: no cluster using the set may try before `until`.
        case open(since: Date, until: Date)
        /// The pause is over and one request, allowed at `since`, is trying the credential;
        /// the others wait for its outcome, or until `until` if it never comes (a cancelled
        /// fetch, a cluster removed from the watch list).
        case probing(since: Date, until: Date)
    }

    /// What the caller does after reporting an outcome.
    package enum Action: Sendable, Hashable {
        /// Nothing besides the cluster's own backoff.
        case none
        /// Drop the cached IAM token; the cluster's retry logs in again.
        case retryWithFreshLogin
        /// Drop any cached token and hold every cluster using the set until `until`; report it.
        case pause(until: Date)
        /// The credential works again: the clusters held for it may go now.
        case resume
    }

    /// Whether a cluster may send a request with the credential now.
    package enum Permission: Sendable, Hashable {
        case proceed
        /// Try again at `until` (or when ``Action/resume`` says so).
        case wait(until: Date)
    }

    package let credential: Credential
    /// How long an open circuit holds its clusters: 15 min, well clear of the gateway's lockout.
    package var pauseDuration: Duration
    /// How long a probe is awaited before another cluster may probe: 60 s, longer than a fetch
    /// takes, so a lost probe costs at most one more request, never a burst.
    package var probeTimeout: Duration
    package private(set) var state: State

    package init(
        credential: Credential,
        pauseDuration: Duration = .seconds(15 * 60),
        probeTimeout: Duration = .seconds(60)
    ) {
        self.credential = credential
        self.pauseDuration = pauseDuration
        self.probeTimeout = probeTimeout
        state = .closed
    }

    /// Asks to send a request with the credential at `now`, just before sending it: the first
    /// caller after a pause becomes the probe.
    package mutating func permission(at now: Date) -> Permission {
        switch state {
        case .closed, .awaitingFreshLogin:
            return .proceed
        case .open(_, let until), .probing(_, let until):
            guard now >= until else { return .wait(until: until) }
            state = .probing(since: now, until: now.advanced(by: probeTimeout))
            return .proceed
        }
    }

    /// Records a 401 to a request sent at `sentAt`, seen at `now`.
    ///
    /// A 401 to a request sent before the current state began says nothing new (it used the old
    /// token, or it was in flight when the circuit opened) and changes nothing.
    package mutating func recordAuthenticationFailure(sentAt: Date, at now: Date) -> Action {
        switch state {
        case .closed:
            if credential == .password {
                state = .awaitingFreshLogin(since: now)
                return .retryWithFreshLogin
            }
            return open(at: now)
        case .awaitingFreshLogin(let since), .open(let since, _), .probing(let since, _):
            return sentAt < since ? .none : open(at: now)
        }
    }

    /// Records that CCE accepted the credential (the fetch succeeded, whatever became of the
    /// write). Closes the circuit.
    package mutating func recordSuccess() -> Action {
        defer { state = .closed }
        switch state {
        case .closed, .awaitingFreshLogin: return .none
        case .open, .probing: return .resume
        }
    }

    private mutating func open(at now: Date) -> Action {
        let until = now.advanced(by: pauseDuration)
        state = .open(since: now, until: until)
        return .pause(until: until)
    }
}
