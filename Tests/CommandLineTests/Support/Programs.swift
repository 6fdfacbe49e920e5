import Foundation

/// The programs these tests run: the product's executable and, where installed, kubectl.
enum Programs {
    /// Why the product's executable could not be found.
    struct ExecutableMissing: Error, CustomStringConvertible {
        var path: String

        var description: String {
            "cce-kubeconfigd is not at \(path), next to the test bundle; build it with the tests "
                + "(swift build --build-tests, with the same --scratch-path as swift test)"
        }
    }

    /// SwiftPM links the executable into the same build directory as the test bundle, whatever the scratch path,
    /// so it is looked up next to the running test executable rather than at a fixed `.build/debug`.
    static func cceKubeconfigd() throws -> String {
        let testExecutable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let candidate = testExecutable.deletingLastPathComponent().appendingPathComponent("cce-kubeconfigd").path
        guard FileManager.default.isExecutableFile(atPath: candidate) else {
            throw ExecutableMissing(path: candidate)
        }
        return candidate
    }

    /// kubectl from `PATH`, as `which kubectl` finds it; nil when it is not installed.
    static let kubectl: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":")
            .map { "\($0)/kubectl" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    static var hasKubectl: Bool { kubectl != nil }
}
