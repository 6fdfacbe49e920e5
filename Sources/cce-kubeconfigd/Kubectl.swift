#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// kubectl as found on `PATH`, run as a child process to show that a context works.
struct Kubectl: Sendable {
    /// The executable's path.
    let path: String
    /// Where kubectl keeps its discovery and HTTP caches (`--cache-dir`), so that it writes
    /// nothing under `~/.kube/cache`.
    let cacheDirectory: String

    /// kubectl from `PATH`, caching in `cacheDirectory`, or `nil` when it is not installed.
    static func find(environment: [String: String], cacheDirectory: String) -> Kubectl? {
        let candidates: [String] = (environment["PATH"] ?? "").split(separator: ":").map { "\($0)/kubectl" }
        guard let path = candidates.first(where: { access($0, X_OK) == 0 }) else { return nil }
        return Kubectl(path: path, cacheDirectory: cacheDirectory)
    }

    /// The API server's version through `context`, or the reason kubectl gave for failing.
    func serverVersion(kubeconfig: String, context: String) -> Result<String, KubectlFailure> {
        let output = run([
            "--kubeconfig", kubeconfig, "--cache-dir", cacheDirectory, "--context", context, "--request-timeout", "10s",
            "get", "--raw", "/version",
        ])
        guard output.status == 0 else {
            let message = output.text.split(whereSeparator: \.isNewline).last.map(String.init) ?? "exit status \(output.status)"
            return .failure(KubectlFailure(message: message))
        }
        struct Version: Decodable { var gitVersion: String }
        guard let version = try? JSONDecoder().decode(Version.self, from: Data(output.text.utf8)) else {
            return .failure(KubectlFailure(message: "the answer is not a Kubernetes version"))
        }
        return .success(version.gitVersion)
    }

    /// Runs kubectl with `arguments`, standard output and error captured together.
    private func run(_ arguments: [String]) -> (status: Int32, text: String) {
        var pipe: [Int32] = [0, 0]
        guard Glibc.pipe(&pipe) == 0 else { return (-1, "cannot create a pipe") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addclose(&actions, pipe[0])
        posix_spawn_file_actions_adddup2(&actions, pipe[1], STDOUT_FILENO)
        posix_spawn_file_actions_adddup2(&actions, pipe[1], STDERR_FILENO)
        posix_spawn_file_actions_addclose(&actions, pipe[1])

        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, path, &actions, nil, argv, environ)
        close(pipe[1])
        defer { close(pipe[0]) }
        guard spawned == 0 else { return (-1, "cannot start \(path): \(String(cString: strerror(spawned)))") }

        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(pipe[0], $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            bytes += buffer[..<count]
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        let exitStatus = (status & 0x7f) == 0 ? (status >> 8) & 0xff : -1
        return (exitStatus, String(decoding: bytes, as: UTF8.self))
    }
}

/// What kubectl printed last when it failed.
struct KubectlFailure: Error {
    var message: String
}
