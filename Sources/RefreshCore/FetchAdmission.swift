import Renewal

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Which due cluster is fetched when: the queue, the fetch slots, and per credential set its
/// ``RequestPacer`` and ``CredentialCircuitBreaker``. Part of ``RefreshMachine``, in the manner of
/// async-http-client's `RequestQueue` and `HTTP1Connections` under its pool's state machine: the
/// machine hands it due clusters and answers, it says which to send and which must wait.
///
/// The queue is first come, first served, but a throttled cluster goes back to its head: it was
/// next before the gateway refused it. A cluster whose set's pacer waits stays queued, and one
/// timer per set says when to try again; one whose set's circuit is open leaves the queue.
package struct FetchAdmission: Sendable {
    /// What happens to clusters that cannot go: the service waits, a pass gives up.
    package struct Policy: Sendable, Hashable {
        package var maximumInFlight: Int
        /// What every credential set's pacer starts as.
        package var pacer: RequestPacer
        /// Whether a cluster whose set's circuit is open waits for it to close (``Decision/held``)
        /// or is given up (``Decision/refused``).
        package var waitsForRefusedCredentials: Bool
        /// How many 429s in a row a cluster may get before it is given up; `nil`: never.
        package var throttledAttempts: Int?

        package init(maximumInFlight: Int, pacer: RequestPacer, waitsForRefusedCredentials: Bool, throttledAttempts: Int?) {
            self.maximumInFlight = maximumInFlight
            self.pacer = pacer
            self.waitsForRefusedCredentials = waitsForRefusedCredentials
            self.throttledAttempts = throttledAttempts
        }
    }

    /// One due cluster, as admission needs to know it.
    package struct Ticket: Sendable, Hashable {
        package var watchName: String
        /// Its credential set's name.
        package var credentials: String
        /// How the set authenticates, for its circuit breaker.
        package var credential: CredentialCircuitBreaker.Credential

        package init(watchName: String, credentials: String, credential: CredentialCircuitBreaker.Credential) {
            self.watchName = watchName
            self.credentials = credentials
            self.credential = credential
        }
    }

    /// What ``admit(at:)`` decided for a queued cluster, or a set's pacer.
    package enum Decision: Sendable, Hashable {
        /// Fetch it now; it counts against its set's pacer.
        case send(String)
        /// It stays queued until `until`; `reason` is the set's last 429, when there was one.
        case paced(String, until: Date, reason: String?)
        /// Out of the queue: its set's circuit is open until `until`.
        case held(String, until: Date)
        /// Out of the queue: its set was refused (HTTP 401) and the policy gives up on it.
        case refused(String, credentials: String)
        /// Arm the set's pacer timer for `at`.
        case armPacer(credentials: String, at: Date)
    }

    /// What an answer did at admission.
    package enum Finish: Sendable, Hashable {
        /// No fetch of that name runs: it was abandoned.
        case notInFlight
        /// Throttled: back at the head of the queue until its set's pacer lets it go at `until`.
        /// `limit` is the learned limit per window.
        case throttled(until: Date, limit: Int?)
        /// Throttled once too often for the policy: given up, out of the queue.
        case gaveUpThrottled
        /// Any other answer; `paused` when a 401 opened its set's circuit until then, `resumed`
        /// when a success closed it and the clusters held for it may go.
        case answered(paused: Date?, resumed: Bool)
    }

    package let policy: Policy
    private var queue: [Ticket] = []
    /// The fetches running, with when each was sent and its ticket.
    private var inFlight: [String: (sentAt: Date, ticket: Ticket)] = [:]
    private var breakers: [String: CredentialCircuitBreaker] = [:]
    private var pacers: [String: RequestPacer] = [:]
    /// Per set, the last 429's sentence and when its pacer timer is armed for.
    private var lastThrottle: [String: String] = [:]
    private var pacerTimers: [String: Date] = [:]
    /// 429s in a row, per cluster.
    private var throttledInARow: [String: Int] = [:]

    package init(policy: Policy) {
        self.policy = policy
    }

    /// Whether nothing is queued or being fetched.
    package var isEmpty: Bool { queue.isEmpty && inFlight.isEmpty }

    /// Whether `watchName` is queued or being fetched.
    package func contains(_ watchName: String) -> Bool {
        inFlight[watchName] != nil || queue.contains { $0.watchName == watchName }
    }

    /// Until when the circuit of `credentials` holds its clusters, while it is open.
    package func heldUntil(credentials: String) -> Date? {
        if case .open(_, let until) = breakers[credentials]?.state { until } else { nil }
    }

    /// Closes the circuit of `credentials`: what it authenticates with changed, so the refusal
    /// no longer says anything about it.
    package mutating func forgetRefusal(credentials: String) {
        breakers[credentials] = nil
    }

    /// Queues a due cluster behind the others.
    package mutating func enqueue(_ ticket: Ticket) {
        guard !contains(ticket.watchName) else { return }
        queue.append(ticket)
    }

    /// Forgets `watchName`; `true` when its fetch was running (and is to be abandoned).
    @discardableResult
    package mutating func remove(_ watchName: String) -> Bool {
        queue.removeAll { $0.watchName == watchName }
        throttledInARow[watchName] = nil
        return inFlight.removeValue(forKey: watchName) != nil
    }

    /// Forgets every running fetch; their names, sorted, to be abandoned.
    package mutating func abandonRunning() -> [String] {
        defer { inFlight.removeAll() }
        return inFlight.keys.sorted()
    }

    /// Sends queued clusters, first come first served, while slots are free and their sets'
    /// pacers and circuits let them.
    package mutating func admit(at now: Date) -> [Decision] {
        var decisions: [Decision] = []
        var paced: [String: Date] = [:]
        var index = 0
        while index < queue.count, inFlight.count < policy.maximumInFlight {
            let ticket = queue[index]
            let credentials = ticket.credentials
            if let until = paced[credentials] ?? pacers[credentials, default: policy.pacer].earliestSend(after: now) {
                paced[credentials] = until
                decisions.append(.paced(ticket.watchName, until: until, reason: lastThrottle[credentials]))
                index += 1
                continue
            }
            var breaker = breakers[credentials] ?? CredentialCircuitBreaker(credential: ticket.credential)
            let permission = breaker.permission(at: now)
            breakers[credentials] = breaker
            queue.remove(at: index)
            if case .wait(let until) = permission {
                throttledInARow[ticket.watchName] = nil
                decisions.append(
                    policy.waitsForRefusedCredentials
                        ? .held(ticket.watchName, until: until) : .refused(ticket.watchName, credentials: credentials)
                )
                continue
            }
            _ = pacers[credentials, default: policy.pacer].permission(at: now)
            inFlight[ticket.watchName] = (now, ticket)
            decisions.append(.send(ticket.watchName))
        }
        for (credentials, until) in paced.sorted(by: { $0.key < $1.key }) where pacerTimers[credentials] != until {
            pacerTimers[credentials] = until
            decisions.append(.armPacer(credentials: credentials, at: until))
        }
        return decisions
    }

    /// The pacer timer of `credentials` fired: ``admit(at:)`` may arm it again.
    package mutating func pacerTimerFired(credentials: String) {
        pacerTimers[credentials] = nil
    }

    /// Books the answer to the fetch of `watchName`: its set's pacer and circuit learn from it.
    package mutating func finished<Value>(_ watchName: String, _ result: Result<Value, FetchFailure>, at now: Date) -> Finish {
        guard let (sentAt, ticket) = inFlight.removeValue(forKey: watchName) else { return .notInFlight }
        let credentials = ticket.credentials
        if case .failure(let failure) = result, case .throttled(let retryAfter) = failure.kind {
            pacers[credentials, default: policy.pacer].recordThrottled(
                sentAt: sentAt,
                retryAfter: retryAfter,
                stated: failure.statedRateLimit,
                at: now
            )
            lastThrottle[credentials] = failure.message
            let attempts = throttledInARow[watchName, default: 0] + 1
            if let allowed = policy.throttledAttempts, attempts >= allowed {
                throttledInARow[watchName] = nil
                return .gaveUpThrottled
            }
            throttledInARow[watchName] = attempts
            queue.insert(ticket, at: 0)
            let pacer = pacers[credentials, default: policy.pacer]
            return .throttled(until: pacer.earliestSend(after: now) ?? now, limit: pacer.limit)
        }
        throttledInARow[watchName] = nil
        let kind: FailureKind? = if case .failure(let failure) = result { failure.kind } else { nil }
        if kind == .local {
            pacers[credentials, default: policy.pacer].recordNotSent(sentAt: sentAt)
        } else if kind?.reachedTheGateway ?? true {
            pacers[credentials, default: policy.pacer].recordSuccess()
        }
        switch kind {
        case nil:
            let resumed = breakers[credentials]?.recordSuccess() == .resume
            return .answered(paused: nil, resumed: resumed && policy.waitsForRefusedCredentials)
        case .authentication?:
            if case .pause(let until)? = breakers[credentials]?.recordAuthenticationFailure(sentAt: sentAt, at: now) {
                return .answered(paused: until, resumed: false)
            }
            return .answered(paused: nil, resumed: false)
        default:
            return .answered(paused: nil, resumed: false)
        }
    }
}

extension FailureKind {
    /// Whether the request was let through by the API gateway, so its pacer counts it: any
    /// answer but a 429, a dead connection or no answer at all, or a request never sent.
    fileprivate var reachedTheGateway: Bool {
        switch self {
        case .throttled, .network, .timeout, .local: false
        case .authentication, .forbidden, .notFound, .server, .invalidResponse, .conflict: true
        }
    }
}
