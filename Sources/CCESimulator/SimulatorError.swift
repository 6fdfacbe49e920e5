/// Why the simulator could not start or do what its owner asked.
///
/// Descriptions are one line and never carry a secret from the configuration.
package enum SimulatorError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The configuration file could not be read or parsed; `reason` names the place in it.
    case unreadableConfiguration(source: String, reason: String)
    /// The configuration parsed but contradicts itself (a repeated cluster id, an empty secret…).
    case invalidConfiguration(String)
    /// A cluster id the configuration does not have.
    case unknownCluster(String)
    /// Start-up failed: the directory, the certificates or a listening socket.
    case startFailed(String)

    package var description: String {
        switch self {
        case .unreadableConfiguration(let source, let reason):
            "\(source): \(reason)"
        case .invalidConfiguration(let problem):
            "The simulator configuration is invalid: \(problem)."
        case .unknownCluster(let clusterID):
            "The simulator has no cluster \(clusterID)."
        case .startFailed(let reason):
            "The simulator could not start: \(reason)."
        }
    }
}
