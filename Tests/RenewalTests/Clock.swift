import Foundation

/// A fixed instant the tests count from, so every expected time is exact.
let t0 = Date(timeIntervalSinceReferenceDate: 800_000_000)

func seconds(_ value: Double) -> TimeInterval { value }
func minutes(_ value: Double) -> TimeInterval { value * 60 }
func hours(_ value: Double) -> TimeInterval { value * 3_600 }
func days(_ value: Double) -> TimeInterval { value * 86_400 }
