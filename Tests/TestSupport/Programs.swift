import Foundation

/// The programs the tests run: the package's executables and, where installed, kubectl.
package enum Programs {
    /// The executable `name` of this package, next to the running test bundle: SwiftPM links the
    /// executables into the same build directory whatever the scratch path.
    package static func built(_ name: String) throws -> String {
        let testExecutable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let candidate = testExecutable.deletingLastPathComponent().appendingPathComponent(name).path
        guard FileManager.default.isExecutableFile(atPath: candidate) else {
            throw TestSupportFailure(
                "\(name) is not at \(candidate), next to the test bundle; build it with the tests "
                    + "(swift build --build-tests, with the same --scratch-path as swift test)"
            )
        }
        return candidate
    }

    package static func cceKubeconfigd() throws -> String {
        try built("cce-kubeconfigd")
    }

    package static func cceSimulator() throws -> String {
        try built("cce-simulator")
    }

    /// kubectl from `PATH`, as `which kubectl` finds it; `nil` when it is not installed.
    package static let kubectl: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/kubectl" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    package static var hasKubectl: Bool { kubectl != nil }
}
