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
    /// kubectl's environment, which the exec plugins it runs inherit.
    let environment: [String: String]

    /// kubectl from `PATH` in `environment`, caching in `cacheDirectory`, or `nil` when it is not installed.
    static func find(environment: [String: String], cacheDirectory: String) -> Kubectl? {
        let candidates: [String] = (environment["PATH"] ?? "").split(separator: ":").map { "\($0)/kubectl" }
        guard let path = candidates.first(where: { access($0, X_OK) == 0 }) else { return nil }
        return Kubectl(path: path, cacheDirectory: cacheDirectory, environment: environment)
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
        let child: ChildProcess
        let pipe: (read: Int32, write: Int32)
        do throws(CommandFailure) {
            pipe = try ChildProcess.pipe()
            defer { close(pipe.write) }
            child = try ChildProcess.spawn(
                path,
                arguments,
                environment: environment,
                streams: .init(input: nil, output: pipe.write, error: pipe.write)
            )
        } catch {
            return (-1, error.message)
        }
        defer { close(pipe.read) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(pipe.read, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            bytes += buffer[..<count]
        }
        return (child.waitForExit(), String(decoding: bytes, as: UTF8.self))
    }
}

/// What kubectl printed last when it failed.
struct KubectlFailure: Error {
    var message: String
}
