import Foundation
import Synchronization

/// A fixed instant the tests count from, on a whole second (as certificates and the state file
/// keep time), so that every expected time is exact.
package let t0 = Date(timeIntervalSinceReferenceDate: 800_000_000)

package func seconds(_ value: Double) -> TimeInterval { value }
package func minutes(_ value: Double) -> TimeInterval { value * 60 }
package func hours(_ value: Double) -> TimeInterval { value * 3_600 }
package func days(_ value: Double) -> TimeInterval { value * 86_400 }

/// A wall clock a test moves by hand, for code that takes a `now` function.
package final class TestClock: Sendable {
    private let current: Mutex<Date>

    package init(_ start: Date = t0) {
        current = Mutex(start)
    }

    /// The time now, as far as the code under test is concerned.
    package var now: Date {
        current.withLock { $0 }
    }

    /// Moves the clock forward (or, with a negative value, back, as a stepped wall clock does).
    package func advance(by seconds: TimeInterval) {
        current.withLock { $0 += seconds }
    }
}
