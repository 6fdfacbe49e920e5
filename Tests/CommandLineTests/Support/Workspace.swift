import Foundation
import Testing

/// One test's world: a temporary directory, and cce-kubeconfigd and kubectl run with it as `HOME`.
///
/// Every run of cce-kubeconfigd goes through ``cce(_:sourceLocation:)``, which checks that nothing it printed
/// holds a secret of the CCE answers the tests import.
struct Workspace: Sendable {
    let directory: TemporaryDirectory
    let runner: CommandRunner
    let executable: String

    /// Runs `body` in a fresh workspace, removed afterwards.
    static func with<Result>(_ body: (Workspace) throws -> Result) throws -> Result {
        let executable = try Programs.cceKubeconfigd()
        return try TemporaryDirectory.with { directory in
            try body(Workspace(directory: directory, runner: CommandRunner(home: directory.path), executable: executable))
        }
    }

    /// The same for an `async` body (tests that run the simulator in-process).
    static func with<Result>(_ body: (Workspace) async throws -> Result) async throws -> Result {
        let executable = try Programs.cceKubeconfigd()
        return try await TemporaryDirectory.with { directory in
            try await body(Workspace(directory: directory, runner: CommandRunner(home: directory.path), executable: executable))
        }
    }

    /// This workspace with `variables` added to the environment of every command it runs.
    func adding(environment variables: [String: String]) -> Workspace {
        var runner = runner
        runner.environment.merge(variables) { $1 }
        return Workspace(directory: directory, runner: runner, executable: executable)
    }

    /// The kubeconfig most tests work on: `<directory>/config`.
    var kubeconfig: String { directory.file("config") }

    /// Runs cce-kubeconfigd with `arguments` and checks its output for secrets.
    @discardableResult
    func cce(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> CommandResult {
        let result = try runner.run(executable, arguments)
        expectNoSecrets(in: result, sourceLocation: sourceLocation)
        return result
    }

    /// The same from an `async` test: the wait happens on a Dispatch thread, so a test that waits
    /// for a child process never holds one of the few threads the other tests' tasks run on.
    @discardableResult
    func cce(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) async throws -> CommandResult {
        let runner = runner
        let executable = executable
        let result = try await offload { try runner.run(executable, arguments) }
        expectNoSecrets(in: result, sourceLocation: sourceLocation)
        return result
    }

    /// `import ANSWER --name NAME --kubeconfig KUBECONFIG` plus `options`.
    @discardableResult
    func importAnswer(
        _ answer: String = Fixtures.cceAnswer,
        name: String,
        into kubeconfig: String,
        _ options: String...,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> CommandResult {
        try cce(["import", Fixtures.path(answer), "--name", name, "--kubeconfig", kubeconfig] + options, sourceLocation: sourceLocation)
    }

    /// `remove NAME --kubeconfig KUBECONFIG` plus `options`.
    @discardableResult
    func remove(_ name: String, from kubeconfig: String, _ options: String..., sourceLocation: SourceLocation = #_sourceLocation) throws
        -> CommandResult
    {
        try cce(["remove", name, "--kubeconfig", kubeconfig] + options, sourceLocation: sourceLocation)
    }

    /// Starts cce-kubeconfigd without waiting, for tests that kill it; check its result with ``expectNoSecrets(in:sourceLocation:)``.
    func startCCE(_ arguments: [String]) throws -> RunningCommand {
        try runner.start(executable, arguments)
    }

    /// Runs kubectl; only call it from tests enabled when ``Programs/hasKubectl``.
    @discardableResult
    func kubectl(_ arguments: String...) throws -> CommandResult {
        let kubectl = try #require(Programs.kubectl, "kubectl is not on PATH")
        return try runner.run(kubectl, arguments)
    }

    /// Records an issue naming each secret (by origin, not by text) that `result` printed.
    func expectNoSecrets(in result: CommandResult, sourceLocation: SourceLocation = #_sourceLocation) {
        let leaks = SecretFragments.cceAnswers.leaks(in: result.output)
        #expect(
            leaks.isEmpty,
            "\(result.arguments.dropFirst().joined(separator: " ")) printed secrets: \(leaks)",
            sourceLocation: sourceLocation
        )
    }
}

extension CommandResult {
    /// Stops the test unless the command exited with 0: for the steps that prepare what a test looks at.
    @discardableResult
    func requireSuccess(sourceLocation: SourceLocation = #_sourceLocation) throws -> CommandResult {
        let command = arguments.dropFirst().prefix(2).joined(separator: " ")
        try #require(status == 0, "\(command) failed: \(standardError)", sourceLocation: sourceLocation)
        return self
    }
}

/// Runs blocking `work` (waiting for a process) on a Dispatch thread and awaits its result.
func offload<Result: Sendable>(_ work: @escaping @Sendable () throws -> Result) async throws -> Result {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Swift.Result { try work() }) }
    }
}
