extension WatchListConfig {
    /// Whether the clusters are known only after listing the fleet: some are named by their
    /// console name or project name, or `discover:` rules find them.
    package var needsFleetListing: Bool {
        !unresolved.isEmpty || !discovery.isEmpty
    }
}
