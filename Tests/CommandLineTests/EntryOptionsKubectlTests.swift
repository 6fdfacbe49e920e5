import Foundation
import Glibc
import Kubeconfig
import Testing

/// The watch list's `namespace` and `proxy_url` as kubectl reads them: the context's namespace,
/// and a proxy on loopback that sees kubectl's `CONNECT` to the cluster's API server.
@Suite(.enabled(if: Programs.hasKubectl))
struct EntryOptionsKubectlTests {
    /// Writes the entries of the example CCE answer, with `options`, into the workspace's kubeconfig;
    /// the API servers are moved to a closed port on loopback, so that a kubectl going around the
    /// proxy reaches nothing beyond this machine.
    private func writeEntries(_ options: EntryOptions, in workspace: Workspace) throws {
        let credentials = try CCECredentials(
            parsing: Array(try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("config/examples/cce-kubeconfig.json"))))
        )
        let owner = Ownership(
            watchName: "prod",
            projectID: "0123456789abcdef0123456789abcdef",
            clusterID: "4e7a9f1c-0000-11ee-8f3a-0255ac100b03"
        )
        let cluster = try ManagedCluster(credentials: credentials, owner: owner, options: options)
        let plan = try MergePlanner.plan(MergeRequest(upserts: [cluster]), against: try KubeconfigFile(bytes: []))
        let text = String(decoding: plan.result, as: UTF8.self)
            .replacingOccurrences(of: "https://192.168.0.10:5443", with: "https://127.0.0.2:1")
            .replacingOccurrences(of: "https://203.0.113.10:5443", with: "https://127.0.0.3:1")
        try Data(text.utf8).write(to: URL(fileURLWithPath: workspace.kubeconfig))
    }

    @Test func kubectlUsesTheContextsNamespace() throws {
        try Workspace.with { workspace in
            try writeEntries(EntryOptions(namespace: "team-a"), in: workspace)
            let result = try workspace.kubectl(
                "--kubeconfig",
                workspace.kubeconfig,
                "config",
                "view",
                "--minify",
                "--context",
                "prod-internal",
                "-o",
                "jsonpath={..namespace}"
            )
            #expect(result.status == 0, "\(result.standardError)")
            #expect(result.standardOutput == "team-a")
        }
    }

    @Test func kubectlConnectsThroughTheProxyURL() async throws {
        try await Workspace.with { workspace in
            let proxy = try LoopbackListener()
            try writeEntries(EntryOptions(proxyURL: "http://127.0.0.1:\(proxy.port)"), in: workspace)
            async let line = offload { proxy.firstRequestLine() }
            // The proxy refuses the tunnel, so the call itself fails.
            _ = try await offload {
                try workspace.kubectl(
                    "--kubeconfig",
                    workspace.kubeconfig,
                    "--context",
                    "prod-internal",
                    "get",
                    "--raw",
                    "/version",
                    "--request-timeout=10s"
                )
            }
            #expect(try await line == "CONNECT 127.0.0.2:1 HTTP/1.1")
        }
    }
}

/// A TCP socket on 127.0.0.1 that accepts one connection, reads the first line sent and
/// refuses it with 502, as a proxy that cannot reach the server would; it accepts no other.
private final class LoopbackListener: Sendable {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let socket: Int32
    let port: UInt16

    init() throws {
        let listening = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listening >= 0 else { throw Failure(description: "socket: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listening, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listening, 4) == 0 else {
            close(listening)
            throw Failure(description: "bind or listen: errno \(errno)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listening, $0, &length) }
        }
        socket = listening
        port = UInt16(bigEndian: address.sin_port)
    }

    deinit {
        close(socket)
    }

    /// The first line of the first connection, or `nil` when none comes within 20 s.
    func firstRequestLine() -> String? {
        var poller = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, 20_000) == 1 else { return nil }
        let connection = accept(socket, nil, nil)
        // Later connections (kubectl tries twice) are refused at once instead of waiting in the backlog.
        shutdown(socket, Int32(SHUT_RDWR))
        guard connection >= 0 else { return nil }
        defer { close(connection) }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1_024)
        while !received.contains(UInt8(ascii: "\n")) {
            var reader = pollfd(fd: connection, events: Int16(POLLIN), revents: 0)
            guard poll(&reader, 1, 20_000) == 1 else { break }
            let count = read(connection, &buffer, buffer.count)
            guard count > 0 else { break }
            received += buffer[0..<count]
        }
        let refusal = Array("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n".utf8)
        _ = write(connection, refusal, refusal.count)
        let line = received.split(separator: UInt8(ascii: "\n")).first.map { String(decoding: $0, as: UTF8.self) }
        return line.map { $0.hasSuffix("\r") ? String($0.dropLast()) : $0 }
    }
}
