// swift-tools-version:6.0
import PackageDescription

/// HTTP/1 over TLS on SwiftNIO: the CCE client, the simulator, and the tests that serve or call HTTPS.
let httpsStack: [Target.Dependency] = [
    .product(name: "NIOCore", package: "swift-nio"),
    .product(name: "NIOPosix", package: "swift-nio"),
    .product(name: "NIOHTTP1", package: "swift-nio"),
    .product(name: "NIOSSL", package: "swift-nio-ssl"),
]

/// X.509 certificates and the keys behind them, read and made.
let certificateStack: [Target.Dependency] = [
    .product(name: "X509", package: "swift-certificates"),
    .product(name: "SwiftASN1", package: "swift-asn1"),
    .product(name: "Crypto", package: "swift-crypto"),
]

/// The version and commit `--version` prints: `make` sets both in the environment; a plain
/// `swift build` leaves them out and the binary says "unknown". Defined for CBuildInfo alone, so
/// a new commit recompiles one C file.
let buildInfoDefines: [CSetting] = [
    ("CCE_BUILD_VERSION", "CCE_KUBECONFIGD_VERSION"),
    ("CCE_BUILD_COMMIT", "CCE_KUBECONFIGD_COMMIT"),
].compactMap { macro, variable in
    guard let value = Context.environment[variable], !value.isEmpty,
        value.allSatisfy({ $0.isLetter || $0.isNumber || ".+-~_".contains($0) })
    else { return nil }
    return .define(macro, to: "\"\(value)\"")
}

let package = Package(
    name: "cce-kubeconfigd",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "cce-kubeconfigd", targets: ["cce-kubeconfigd"]),
        .executable(name: "cce-kubeconfigd-credential", targets: ["cce-kubeconfigd-credential"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // The system libyaml, through a one-header shim.
        .systemLibrary(
            name: "CLibYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        // Bytes to an order-preserving node tree with source ranges, and back. Pure.
        .target(name: "YAML", dependencies: ["CLibYAML"]),
        // The kubeconfig model, CCE credentials, naming, ownership and the merge plan as text edits. Pure.
        .target(
            name: "Kubeconfig",
            dependencies: [
                "YAML",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ]
        ),
        // The file on disk: kubectl-compatible lock, atomic replace, modes, symlinks, target resolution.
        .target(name: "KubeconfigStore", dependencies: ["Durations", "Kubeconfig"]),
        // The credential record's format (the answer, its expiry, what it was fetched for, file
        // fingerprints), shared by the writer and the exec plugin. The C library only: no Foundation.
        .target(name: "CredentialRecord"),
        // The exec plugin kubectl runs: answers from the credential record, else becomes the full
        // binary (execv). Starts as fast as a C program: the C library and CredentialRecord only.
        // Linked with the Swift runtime inside, whatever the build's flags: loading the runtime's
        // shared libraries costs the plugin twice its whole answer (docs/benchmarks.md). No test
        // target may depend on it (the flag would reach the test bundle's link); `swift build`
        // builds it for CommandLineTests, which run it.
        .executableTarget(
            name: "cce-kubeconfigd-credential",
            dependencies: ["CredentialRecord"],
            linkerSettings: [.unsafeFlags(["-static-stdlib"])]
        ),
        // Exec-mode credential files (0700/0600, checked, atomic, flock-coordinated) and the ExecCredential answer.
        .target(
            name: "CredentialFiles",
            dependencies: [
                "CredentialRecord",
                "Kubeconfig",
                "KubeconfigStore",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ]
        ),
        // Huawei Cloud AK/SK request signing and verification ("SDK-HMAC-SHA256"). Pure.
        .target(name: "CCESigning", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        // A faithful fake of the CCE and IAM APIs with one mTLS API server per cluster, on loopback; for tests and the demo.
        .target(
            name: "CCESimulator",
            dependencies: ["CCESigning", .product(name: "_CryptoExtras", package: "swift-crypto")] + httpsStack + certificateStack
        ),
        // The simulator as a process, for the demo and for trying a client by hand.
        .executableTarget(
            name: "cce-simulator",
            dependencies: ["CCESimulator", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // Durations as the watch list spells them and as people read them. Pure.
        .target(name: "Durations"),
        // IP addresses and hosts as the system resolver reads them; the loopback rule behind plain http://. Pure.
        .target(name: "HostAddress"),
        // The watch-list config: parsing and validation with file:line:column. Pure.
        .target(name: "WatchList", dependencies: ["Durations", "HostAddress", "Kubeconfig", "YAML"]),
        // The fleet a watch list means: names looked up in IAM projects and CCE cluster lists, discovery,
        // naming collisions, what a write may prune (FleetScope). Pure, but for the driver over a lister protocol.
        .target(name: "Fleet", dependencies: ["WatchList", "Kubeconfig", "YAML"]),
        // When to renew each cluster, and how to back off: pure decisions over injected time.
        .target(name: "Renewal", dependencies: ["Kubeconfig"]),
        // systemd without libsystemd: sd_notify datagrams, the watchdog interval, and logs that suit the journal.
        .target(name: "ServiceSupport", dependencies: [.product(name: "Logging", package: "swift-log")]),
        // Every refresh decision of sync, run and demo as one state machine: events and the time in, actions out. Pure.
        .target(name: "RefreshCore", dependencies: ["Durations", "Fleet", "Kubeconfig", "Renewal", "WatchList"]),
        // The daemon's state file (the clusters' states and the fleet's resolutions), and `status`:
        // one row per cluster from it and the kubeconfig. Pure but for the file.
        .target(
            name: "RefreshState",
            dependencies: ["Durations", "Fleet", "Kubeconfig", "KubeconfigStore", "RefreshCore", "WatchList", "Renewal"]
        ),
        // Huawei Cloud API client: credentials, IAM tokens, the cluster-cert call, strict answers, error classes.
        .target(
            name: "CCE",
            dependencies: [
                "CCESigning",
                "Durations",
                "HostAddress",
                "Kubeconfig",
                "WatchList",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ] + httpsStack
        ),
        // The refresh core's IO shared by sync and run: fetching a cluster, writing and healing the kubeconfig; and sync's pass.
        .target(
            name: "Refresh",
            dependencies: [
                "CCE", "CredentialFiles", "Durations", "Fleet", "Kubeconfig", "KubeconfigOutput", "KubeconfigStore", "RefreshCore",
                "Renewal", "WatchList",
            ]
        ),
        // One batch of fetched clusters written where the watch list says: credential files, the merged kubeconfig, per-cluster files.
        .target(name: "KubeconfigOutput", dependencies: ["CredentialFiles", "Kubeconfig", "KubeconfigStore", "WatchList"]),
        // glibc's malloc.h (malloc_trim), which the Glibc module leaves out.
        .systemLibrary(name: "CGlibcMalloc"),
        // The refresh core as a service: wall-clock Dispatch timers, fetch tasks, inotify, the safety tick.
        .target(
            name: "Daemon",
            dependencies: [
                "CredentialFiles", "Durations", "Fleet", "Kubeconfig", "KubeconfigOutput", "KubeconfigStore", "Refresh", "RefreshCore",
                "Renewal", "WatchList", "CGlibcMalloc",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The version and commit the binary was built from.
        .target(name: "CBuildInfo", cSettings: buildInfoDefines),
        // The executable: thin ArgumentParser commands over the libraries. No CCESimulator: `demo`
        // starts the cce-simulator executable, so the service carries no server and no CA.
        .executableTarget(
            name: "cce-kubeconfigd",
            dependencies: [
                "Durations",
                "Kubeconfig",
                "KubeconfigStore",
                "WatchList",
                "Fleet",
                "Refresh",
                "RefreshCore",
                "CCE",
                "Daemon",
                "RefreshState",
                "ServiceSupport",
                "CredentialFiles",
                "CredentialRecord",
                "KubeconfigOutput",
                "CBuildInfo",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                // `demo` drives the cce-simulator executable's control endpoint; the CCE client links these already.
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),

        // Fuzz checks as pure functions over bytes: the YAML round trip and the merge invariants.
        .target(name: "FuzzHarness", dependencies: ["YAML", "Kubeconfig"]),
        // The checks as a program: replays saved inputs, or drives libFuzzer when Tests/Fuzz/run.sh builds it.
        .executableTarget(name: "cce-fuzz", dependencies: ["FuzzHarness"]),

        // What the test targets share: fixtures, temporary directories, child processes, fixed
        // times and a clock moved by hand, certificates made per run. A library, not a test target.
        .target(
            name: "TestSupport",
            dependencies: [
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Tests/TestSupport"
        ),

        .testTarget(name: "YAMLTests", dependencies: ["YAML"]),
        .testTarget(name: "KubeconfigTests", dependencies: ["TestSupport", "Kubeconfig", "YAML"]),
        .testTarget(name: "KubeconfigStoreTests", dependencies: ["TestSupport", "KubeconfigStore"]),
        // Certificates and keys for the credential files are the committed fixtures and ones made per run.
        .testTarget(
            name: "CredentialFilesTests",
            dependencies: [
                "TestSupport",
                "CredentialFiles",
                "CredentialRecord",
                "Kubeconfig",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The writer against real files in a temporary directory, with the committed CCE answers.
        .testTarget(
            name: "KubeconfigOutputTests",
            dependencies: ["TestSupport", "KubeconfigOutput", "CredentialFiles", "Kubeconfig", "KubeconfigStore", "WatchList"]
        ),
        // Vectors/ holds the official SDK's known answers, read through #filePath, and their generator.
        .testTarget(name: "CCESigningTests", dependencies: ["CCESigning"], exclude: ["Vectors"]),
        .testTarget(name: "DurationsTests", dependencies: ["Durations"]),
        .testTarget(name: "HostAddressTests", dependencies: ["HostAddress"]),
        .testTarget(name: "WatchListTests", dependencies: ["WatchList", "YAML"]),
        .testTarget(name: "RenewalTests", dependencies: ["TestSupport", "Renewal", "Kubeconfig"]),
        // The refresh core driven event by event with a manual clock: exact actions and times, no sleeps.
        .testTarget(name: "RefreshCoreTests", dependencies: ["RefreshCore", "Fleet", "Kubeconfig", "Renewal", "WatchList", "YAML"]),
        .testTarget(name: "FleetTests", dependencies: ["Fleet", "WatchList", "Kubeconfig", "YAML"]),
        // Datagram sockets standing in for systemd (a path and an abstract name); log lines caught by an injected output.
        .testTarget(name: "ServiceSupportTests", dependencies: ["ServiceSupport", .product(name: "Logging", package: "swift-log")]),
        // Certificates for the kubeconfigs under test are made per run (TestSupport's TestCertificates).
        .testTarget(
            name: "RefreshStateTests",
            dependencies: ["TestSupport", "RefreshState", "RefreshCore", "Fleet", "Kubeconfig", "WatchList", "Renewal"]
        ),
        // The client against NIO servers on 127.0.0.1: plain HTTP, TLS with a CA made per run, a CONNECT proxy,
        // and the CCE simulator for the fleet calls (ListClusters, IAM projects).
        .testTarget(
            name: "CCETests",
            dependencies: [
                "TestSupport",
                "CCE",
                "CCESigning",
                "CCESimulator",
                "Kubeconfig",
                "WatchList",
                .product(name: "Logging", package: "swift-log"),
            ] + httpsStack + certificateStack
        ),
        // End to end: runs the built executable against real files, and kubectl where installed.
        .testTarget(
            name: "CommandLineTests",
            dependencies: [
                "TestSupport", "cce-kubeconfigd", "cce-simulator", "CCESimulator", "Kubeconfig",
                // An expired certificate for the exec-mode tests is made per run.
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Runs the simulator (library and executable) on loopback and talks to it with AsyncHTTPClient, and kubectl where installed.
        .testTarget(
            name: "CCESimulatorTests",
            dependencies: [
                "TestSupport",
                "CCESimulator",
                "cce-simulator",
                "CCESigning",
                "Kubeconfig",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        // Replays the committed seed corpus (Tests/Fuzz/corpus) through the fuzz checks.
        .testTarget(name: "FuzzHarnessTests", dependencies: ["FuzzHarness"]),
    ]
)
