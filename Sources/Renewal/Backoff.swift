/// How long a cluster waits after failures: 2 s doubling to 5 min, each wait drawn
/// from [d/2, d) ("half jitter", as tbot), and a slow interval for what retrying cannot fix.
package struct Backoff: Sendable, Hashable {
    /// The ceiling after the first failure: 2 s.
    package var initialDelay: Duration
    /// The ceiling no failure count goes past: 5 min.
    package var maximumDelay: Duration
    /// The ceiling for 403, 404 and kubeconfig conflicts: 30 min.
    package var slowDelay: Duration

    package init(
        initialDelay: Duration = .seconds(2),
        maximumDelay: Duration = .seconds(5 * 60),
        slowDelay: Duration = .seconds(30 * 60)
    ) {
        precondition(
            initialDelay > .zero && maximumDelay >= initialDelay && slowDelay > .zero,
            "backoff delays must be positive and ordered"
        )
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
        self.slowDelay = slowDelay
    }

    /// The ceiling `d` after `failures` consecutive failures (at least 1):
    /// `initialDelay·2^(failures−1)`, at most ``maximumDelay``.
    package func ceiling(afterFailures failures: Int) -> Duration {
        precondition(failures >= 1, "a ceiling needs at least one failure")
        var delay = initialDelay
        for _ in 1..<failures {
            guard delay < maximumDelay else { break }
            delay *= 2
        }
        return min(delay, maximumDelay)
    }

    /// The wait for a ceiling `d`: `d/2 + fraction·d/2`, in [d/2, d) for `fraction` in [0, 1).
    /// Half jitter keeps a floor (retrying at once never happens) and spreads clusters that
    /// failed together.
    package static func jittered(_ ceiling: Duration, fraction: Double) -> Duration {
        precondition((0..<1).contains(fraction), "jitter fraction \(fraction) is not in [0, 1)")
        let half = ceiling / 2
        return half + half * fraction
    }
}
