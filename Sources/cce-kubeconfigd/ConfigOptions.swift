import ArgumentParser
import WatchList

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// `--config`, shared by every command that reads the watch list.
struct ConfigOptions: ParsableArguments {
    @Option(
        name: .customLong("config"),
        help: ArgumentHelp(
            "The watch-list config.",
            discussion: "Default: $XDG_CONFIG_HOME/cce-kubeconfigd/config.yaml (~/.config/cce-kubeconfigd/config.yaml).",
            valueName: "path"
        )
    )
    var path: String?

    /// The config file to read: `--config`, else the XDG default.
    var resolvedPath: String {
        if let path { return path }
        let environment = ProcessInfo.processInfo.environment
        let base =
            environment["XDG_CONFIG_HOME"].flatMap { $0.hasPrefix("/") ? URL(filePath: $0, directoryHint: .isDirectory) : nil }
            ?? URL(filePath: HomeDirectory.current(environment: environment), directoryHint: .isDirectory).appending(
                path: ".config",
                directoryHint: .isDirectory
            )
        return base.appending(path: "cce-kubeconfigd/config.yaml").path(percentEncoded: false)
    }

    /// Reads and validates the config; every problem found is in the failure, one per line.
    func load() throws -> WatchListConfig {
        let path = resolvedPath
        var status = stat()
        guard stat(path, &status) == 0, let data = FileManager.default.contents(atPath: path) else {
            throw CommandFailure("\(path): cannot read the config (\(String(cString: strerror(errno)))); create it from config/config.yaml")
        }
        do throws(ConfigProblems) {
            return try WatchListConfig.parse(
                Array(data),
                path: path,
                fileMode: UInt16(status.st_mode & 0o7777),
                homeDirectory: HomeDirectory.current()
            )
        } catch {
            throw CommandFailure(error.description)
        }
    }
}
