import Foundation

/// Writing to the terminal without touching the `stdout`/`stderr` globals, which Swift 6 flags as unsafe.
enum Terminal {
    static func printError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
