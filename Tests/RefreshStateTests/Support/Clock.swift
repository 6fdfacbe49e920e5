import Foundation

/// A fixed instant the tests count from, on a whole second, as certificates and the JSON keep time.
let t0 = Date(timeIntervalSinceReferenceDate: 800_000_000)

func minutes(_ value: Double) -> TimeInterval { value * 60 }
func hours(_ value: Double) -> TimeInterval { value * 3_600 }
func days(_ value: Double) -> TimeInterval { value * 86_400 }
