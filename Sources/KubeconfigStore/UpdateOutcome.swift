/// What ``KubeconfigStore/update(_:)`` did to the file.
package enum UpdateOutcome: Sendable, Equatable {
    /// The transform returned nil or the bytes already on disk; the file was not touched.
    case unchanged
    /// The file was replaced. `previous` is nil when the file did not exist before.
    case written(previous: [UInt8]?, current: [UInt8])
}
