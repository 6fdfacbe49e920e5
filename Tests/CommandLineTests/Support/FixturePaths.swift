/// The fixtures these tests use, relative to the repository; `Tests/Fixtures/README.md` says what each holds.
extension Fixtures {
    /// A CCE answer with an internal and an external endpoint.
    static let cceAnswer = "config/examples/cce-kubeconfig.json"
    /// The same cluster with a renewed client certificate and key.
    static let renewedAnswer = "Tests/Fixtures/cce/renewed.json"

    static let kubectlWritten = "Tests/Fixtures/kubeconfigs/kubectl-written.yaml"
    static let handWritten = "Tests/Fixtures/kubeconfigs/hand-written.yaml"
    static let jsonKubeconfig = "Tests/Fixtures/kubeconfigs/kubeconfig.json"
    static let conflictingKubeconfig = "Tests/Fixtures/kubeconfigs/bad/conflict-prod-internal.yaml"
}
