extension Duration {
    /// The duration in seconds, for APIs that take a `TimeInterval`-like number.
    var inSeconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
