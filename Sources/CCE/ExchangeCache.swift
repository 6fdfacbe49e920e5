#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Something obtained by an exchange with a service that stops working at `expiresAt`: an IAM
/// token, temporary access keys.
protocol Expiring: Sendable, Hashable {
    var expiresAt: Date { get }
}

/// When what an exchange obtained is renewed: a tenth of its lifetime before it expires (2.4 h
/// of IAM's 24 h tokens, 6 min of 1 h keys), but at least 5 minutes before, which covers a
/// request's 30 s and clock skew. Pure: the times go in.
enum RenewalTime {
    static let minimumMargin: TimeInterval = 300

    static func margin(lifetime: TimeInterval) -> TimeInterval {
        max(minimumMargin, lifetime / 10)
    }

    /// When something obtained at `obtainedAt` and expiring at `expiresAt` is renewed.
    static func renewAt(obtainedAt: Date, expiresAt: Date) -> Date {
        expiresAt.addingTimeInterval(-margin(lifetime: expiresAt.timeIntervalSince(obtainedAt)))
    }
}

/// Values obtained by exchanges (an IAM login, an agency assumed, a credential process run),
/// kept in memory only, one per key, until their renewal time (``RenewalTime``).
///
/// Every caller asking for a key while its exchange runs waits for that same exchange, so a
/// credential set shared by many clusters is exchanged once. A failed exchange is not kept: the
/// next caller tries again.
actor ExchangeCache<Key: Hashable & Sendable, Value: Expiring, Failure: Error> {
    /// A value and whether the exchange that made it ran for this request (then a refusal is not
    /// cured by exchanging again).
    struct Lease: Sendable {
        var value: Value
        var isFresh: Bool
    }

    /// Why an exchange runs, for the log.
    enum Reason: Sendable, Hashable {
        /// Nothing was obtained for the key yet.
        case first
        /// The value obtained before is near its expiry.
        case renewal(expiring: Date)
        /// The value obtained before was refused and dropped.
        case replacement
    }

    typealias Exchange = @Sendable (Reason) async -> Result<Value, Failure>

    private enum Entry {
        case ready(Value, renewAt: Date)
        case pending(Task<Result<Value, Failure>, Never>)
        case dropped
    }

    private var entries: [Key: Entry] = [:]
    private let now: @Sendable () -> Date

    /// - Parameter now: the wall clock, which `expiresAt` is compared with.
    init(now: @escaping @Sendable () -> Date) {
        self.now = now
    }

    /// The value for `key`: the kept one until its renewal time, else the one `exchange` obtains,
    /// which every caller asking meanwhile waits for.
    func value(for key: Key, exchange: @escaping Exchange) async -> Result<Lease, Failure> {
        let reason: Reason
        switch entries[key] {
        case .ready(let value, let renewAt) where now() < renewAt:
            return .success(Lease(value: value, isFresh: false))
        case .pending(let task):
            return await task.value.map { Lease(value: $0, isFresh: true) }
        case .ready(let value, _):
            reason = .renewal(expiring: value.expiresAt)
        case .dropped:
            reason = .replacement
        case nil:
            reason = .first
        }
        let obtainedAt = now()
        let task = Task { await exchange(reason) }
        entries[key] = .pending(task)
        let result = await task.value
        if case .pending(let current) = entries[key], current == task {
            switch result {
            case .success(let value):
                entries[key] = .ready(value, renewAt: RenewalTime.renewAt(obtainedAt: obtainedAt, expiresAt: value.expiresAt))
            case .failure:
                entries[key] = nil
            }
        }
        return result.map { Lease(value: $0, isFresh: true) }
    }

    /// Forgets `value` after a service refused it (revoked early). A newer value kept meanwhile stays.
    func invalidate(_ value: Value, for key: Key) {
        if case .ready(let kept, _) = entries[key], kept == value {
            entries[key] = .dropped
        }
    }
}
